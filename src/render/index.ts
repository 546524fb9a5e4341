import { jsonChunks } from './json.js';
import { markdownChunks } from './markdown.js';
import { textChunks } from './text.js';
import type { Plan } from '../plan/types.js';

export type RenderFormat = 'text' | 'json' | 'markdown';

export const RENDER_FORMATS: readonly RenderFormat[] = ['text', 'json', 'markdown'];

export interface RenderOptions {
  /** ANSI colours (only for a terminal). Default off. */
  readonly color?: boolean;
  /** Show counts instead of user names (text and markdown; the JSON plan always has them, apply needs them). */
  readonly hideUsers?: boolean;
  /** Markdown: where the full plan is (e.g. the CI run holding the plan artefact), named when the comment is shortened. */
  readonly fullPlanLink?: string;
  /** Everything, no size limit (`pcsync show`): markdown names and details every customer. */
  readonly complete?: boolean;
  /** Text: terminal columns to wrap at (default 100; at least 40). */
  readonly width?: number;
}

type Renderer = (plan: Plan, options: RenderOptions) => Iterable<string>;

const RENDERERS: Readonly<Record<RenderFormat, Renderer>> = {
  text: textChunks,
  json: (plan) => jsonChunks(plan),
  markdown: markdownChunks,
};

/** The one factory: every renderer is a pure function of the plan. */
export function render(plan: Plan, format: RenderFormat, options: RenderOptions = {}): string {
  return [...renderChunks(plan, format, options)].join('');
}

/**
 * `render` in the order it is written, a customer at a time (whole lines each): what `plan` and `show` write, so
 * peak memory does not grow with the size of the rendering (README "Scale and speed").
 */
export function renderChunks(plan: Plan, format: RenderFormat, options: RenderOptions = {}): Iterable<string> {
  return RENDERERS[format](plan, options);
}
