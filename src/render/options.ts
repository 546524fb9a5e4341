/** What every renderer may be asked for, besides the plan (`render/index.ts` picks the renderer). */
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
