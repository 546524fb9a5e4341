import { renderJson } from './json.js';
import { renderText } from './text.js';
import type { Plan } from '../plan/types.js';

export type RenderFormat = 'text' | 'json';

export interface RenderOptions {
  /** ANSI colours (only for a terminal). Default off. */
  readonly color?: boolean;
  /** Show counts instead of user names (text only; the JSON plan always has them, apply needs them). */
  readonly hideUsers?: boolean;
}

type Renderer = (plan: Plan, options: RenderOptions) => string;

const RENDERERS: Readonly<Record<RenderFormat, Renderer>> = {
  text: renderText,
  json: (plan) => renderJson(plan),
};

/** The one factory: every renderer is a pure function of the plan. */
export function render(plan: Plan, format: RenderFormat, options: RenderOptions = {}): string {
  return RENDERERS[format](plan, options);
}
