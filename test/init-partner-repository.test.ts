import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { runCli, startSim, type StartedSim } from './helpers/sim.js';
import { CONTOSO } from './helpers/demo.js';
import { INIT_ACTION, runLint } from './helpers/workflows.js';

let sim: StartedSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const fresh = () => join(mkdtempSync(join(tmpdir(), 'pcsync-init-')), 'partner-repo');
const init = (dir: string, ...args: string[]) => runCli(['init', dir, '--action', INIT_ACTION, ...args]);

/** Every file under `dir` (relative path → content). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** `$schema=` references of every YAML file under desired-state/, resolved against the file. */
function schemaRefs(dir: string): { file: string; target: string }[] {
  return Object.entries(tree(dir))
    .filter(([f]) => f.startsWith('desired-state/') && /\.ya?ml$/.test(f))
    .map(([f, text]) => ({ file: f, target: resolve(dirname(join(dir, f)), /\$schema=(\S+)/.exec(text)![1]!) }));
}

describe('pcsync init scaffolds a partner repository', () => {
  it('in an empty directory: validate exits 0, $schema references resolve, .pcsync/ is ignored, the workflows pass actionlint', async () => {
    const dir = fresh();
    const res = await init(dir);
    expect(res.code, res.stderr).toBe(0);
    const files = tree(dir);
    expect(Object.keys(files).sort()).toEqual([
      '.github/workflows/pcsync-apply.yml',
      '.github/workflows/pcsync-drift.yml',
      '.github/workflows/pcsync-plan.yml',
      '.gitignore',
      'desired-state/customers/.gitkeep',
      'desired-state/examples/contoso.yaml',
      'desired-state/pcsync.yaml',
      'schemas/customer.schema.json',
      'schemas/partner.schema.json',
    ]);

    const validate = await runCli(['validate'], { cwd: dir });
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);

    const refs = schemaRefs(dir);
    expect(refs).toHaveLength(2);
    for (const r of refs) expect(existsSync(r.target), `${r.file} → ${r.target}`).toBe(true);
    expect(JSON.parse(files['schemas/customer.schema.json']!).title ?? 'schema').toBeTruthy();

    expect(files['.gitignore']!.split('\n')).toContain('.pcsync/');

    for (const [f, text] of Object.entries(files).filter(([f]) => f.startsWith('.github/workflows/'))) {
      expect(await runLint(text, f), f).toEqual([]);
      expect(text).toContain(`uses: ${INIT_ACTION} # v`);
    }
  });

  it('the example customer is valid desired state once copied into customers/', async () => {
    const dir = fresh();
    expect((await init(dir)).code).toBe(0);
    copyFileSync(join(dir, 'desired-state/examples/contoso.yaml'), join(dir, 'desired-state/customers/contoso.yaml'));
    const validate = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(validate.code, validate.stdout).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({ ok: true, errors: 0, warnings: 0 });
  });

  it('is idempotent, refuses to overwrite a changed file without --force (writing nothing), and keeps the partner\'s .gitignore', async () => {
    const dir = fresh();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.gitignore'), 'node_modules/');
    expect((await init(dir)).code).toBe(0);
    const first = tree(dir);
    expect(first['.gitignore']).toMatch(/^node_modules\/\n# .*\n\.pcsync\/\nplan\.json\nplan\.md\nplan-full\.md\ndrift\.md\nrenewals\.md\napply\.log\n$/);

    const again = await init(dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/0 file\(s\) written, 0 overwritten, 8 already up to date; \.gitignore already ignores \.pcsync\/, plan\.json/);
    expect(tree(dir)).toEqual(first);

    const edited = `${first['desired-state/pcsync.yaml']}concurrency: 8\n`;
    writeFileSync(join(dir, 'desired-state/pcsync.yaml'), edited);
    writeFileSync(join(dir, '.github/workflows/pcsync-plan.yml'), 'name: mine\n');
    const refused = await init(dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pcsync.yaml');
    expect(refused.stderr).toContain('pcsync-plan.yml');
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(dir, 'desired-state/pcsync.yaml'), 'utf8')).toBe(edited);

    const forced = await init(dir, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(tree(dir)).toEqual(first);
  });

  it('refuses an action that is not pinned to a commit, before writing anything', async () => {
    for (const args of [[], ['--action', 'example-partner/pcsync@v1'], ['--action', 'example-partner/pcsync@main']]) {
      const dir = fresh();
      const res = await runCli(['init', dir, ...args]);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/--action .*40-hex commit SHA/);
      expect(existsSync(dir)).toBe(false);
    }
  });

  it('--hide-users writes workflows that hide users everywhere; --action-tag is the comment beside the pin', async () => {
    const dir = fresh();
    expect((await init(dir, '--hide-users', '--action-tag', 'v9.9.9')).code).toBe(0);
    for (const f of ['pcsync-plan.yml', 'pcsync-apply.yml']) {
      const text = readFileSync(join(dir, '.github/workflows', f), 'utf8');
      expect(text).toContain('hide-users: "true"');
      expect(text).toContain(`uses: ${INIT_ACTION} # v9.9.9`);
    }
  });

  it('import into the initialised repository writes the same $schema reference, and it resolves', async () => {
    const dir = fresh();
    expect((await init(dir)).code).toBe(0);
    sim = await startSim({ scenario: 'demo' });
    const env = { PARTNER_CENTER_ENDPOINT: sim.url, PARTNER_CENTER_TOKEN: 'test-token', PCSYNC_NOW: '2026-03-01T09:30:00Z' };
    const res = await runCli(['import', '--customer', CONTOSO, '--out', 'desired-state/customers/contoso.yaml'], { cwd: dir, env });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).not.toContain('does not exist yet');
    const written = readFileSync(join(dir, 'desired-state/customers/contoso.yaml'), 'utf8');
    const example = readFileSync(join(dir, 'desired-state/examples/contoso.yaml'), 'utf8');
    const ref = (t: string) => /\$schema=(\S+)/.exec(t)![1];
    expect(ref(written)).toBe(ref(example));
    for (const r of schemaRefs(dir)) expect(existsSync(r.target), r.file).toBe(true);
    expect((await runCli(['validate'], { cwd: dir })).code).toBe(0);
  });
});
