import { jsonChunks } from './json.js';
import { markdownChunks } from './markdown.js';
import { textChunks } from './text.js';
import type { Plan } from '../plan/types.js';
import type { RenderOptions } from './options.js';

export type { RenderOptions } from './options.js';

export type RenderFormat = 'text' | 'json' | 'markdown';

export const RENDER_FORMATS: readonly RenderFormat[] = ['text', 'json', 'markdown'];

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
