import { compareText } from '../catalog/names.js';
import { PHASES, type Action } from './types.js';

/**
 * The one order of actions: phase (purchase → await → reassign → suspend) → customer → subscription handle
 * → user → id. The executor runs consecutive actions of one kind as a phase, so this order is what runs.
 */
export function compareActions(a: Action, b: Action): number {
  return (
    PHASES.indexOf(a.kind) - PHASES.indexOf(b.kind) ||
    compareText(a.customerId, b.customerId) ||
    compareText(handleOf(a), handleOf(b)) ||
    compareText(upnOf(a), upnOf(b)) ||
    compareText(a.id, b.id)
  );
}

function handleOf(a: Action): string {
  return a.kind === 'reassign' ? (a.toHandle ?? '') : a.handle;
}

function upnOf(a: Action): string {
  return a.kind === 'reassign' ? a.upn : '';
}
