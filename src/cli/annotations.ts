import { formatGithubAnnotation, type Diagnostic } from '../core/diagnostics.js';
import { customerUsers, redactUsers } from '../render/redact.js';
import { byName } from '../render/plan-facts.js';
import type { Plan } from '../plan/types.js';

/**
 * GitHub workflow commands for the plan's problems that have a source position: `::error file=…,line=…,col=…::`
 * for each blocker, `::warning …` for each warning, so they show on the pull request's diff at the line that
 * causes them. With `hideUsers`, user names in the messages become `[user]`, as in the comment.
 */
export function planAnnotations(plan: Plan, hideUsers: boolean): string[] {
  return byName(plan.customers).flatMap((c) => {
    const users = hideUsers ? customerUsers(c) : [];
    const hide = (t: string | undefined) => (t === undefined ? undefined : redactUsers(t, users));
    const of = (severity: Diagnostic['severity'], problems: typeof c.blockers) =>
      problems
        .filter((p) => p.source)
        .map((p) => formatGithubAnnotation({ severity, code: p.code, summary: hide(p.message)!, ...(p.hint ? { detail: hide(p.hint) } : {}), source: p.source }));
    return [...of('error', c.blockers), ...of('warning', c.warnings)];
  });
}
