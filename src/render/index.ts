import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';
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
