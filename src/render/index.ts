import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';
import type { Plan } from '../plan/types.js';
import type { RenderOptions } from './options.js';

export type { RenderOptions } from './options.js';

export type RenderFormat = 'text' | 'json' | 'markdown';

export const RENDER_FORMATS: readonly RenderFormat[] = ['text', 'json', 'markdown'];

type Renderer = (plan: Plan, options: RenderOptions) => string;

const RENDERERS: Readonly<Record<RenderFormat, Renderer>> = {
  text: renderText,
  json: (plan) => renderJson(plan),
  markdown: renderMarkdown,
};

/** The one factory: every renderer is a pure function of the plan. */
export function render(plan: Plan, format: RenderFormat, options: RenderOptions = {}): string {
  return RENDERERS[format](plan, options);
}
