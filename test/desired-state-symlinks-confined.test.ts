import { linkSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/sim.js';
import { copyDesiredState } from './helpers/demo.js';

/** A file outside desired-state/ with a token in it, as an .npmrc on a CI runner would be. */
function secretOutside(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcsync-outside-'));
  const file = join(dir, '.npmrc');
  writeFileSync(file, '//registry.npmjs.org/:_authToken=npm_SECRETCONTENT0123456789\nroot:x:0:0:root:/root:/bin/bash\n');
  return file;
}

const annotations = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('::'));

/**
 * Kind 4 of issue 11: files are read only where they are meant to be. A symlink that leaves desired-state/ is
 * refused unread (its content never quoted), and loops, dangling links and non-files are named, not skipped.
 */
describe('desired-state files are read only inside the desired-state directory', () => {
  it('refuses a customer file that links outside, and never quotes its content (text and GitHub annotations)', async () => {
    const dir = copyDesiredState();
    symlinkSync(secretOutside(), join(dir, 'customers', 'evil.yaml'));
    for (const format of ['text', 'github'] as const) {
      const res = await runCli(['validate', dir, '--format', format]);
      expect(res.code).toBe(1);
      expect(res.stdout + res.stderr).not.toMatch(/SECRETCONTENT|_authToken|root:x/);
      expect(res.stderr).toMatch(/evil\.yaml.*outside the desired-state directory.*\[?file\.outside-desired-state/);
      if (format === 'github') expect(annotations(res.stderr).some((l) => l.startsWith('::error file=') && l.includes('evil.yaml'))).toBe(true);
    }
  });

  it('refuses pcsync.yaml and a customers/ folder that link outside', async () => {
    const dir = copyDesiredState();
    const outside = mkdtempSync(join(tmpdir(), 'pcsync-outside-customers-'));
    writeFileSync(join(outside, 'stolen.yaml'), 'apiVersion: SECRETCONTENT\n');
    symlinkSync(outside, join(dir, 'customers', 'linked-folder'));
    const res = await runCli(['validate', dir]);
    expect(res.stderr).toMatch(/linked-folder.*symbolic link to a directory, which is not followed.*file\.symlinked-directory/);

    const dir2 = copyDesiredState();
    rmSync(join(dir2, 'pcsync.yaml'));
    symlinkSync(secretOutside(), join(dir2, 'pcsync.yaml'));
    const res2 = await runCli(['validate', dir2]);
    expect(res2.code).toBe(1);
    expect(res2.stderr).toMatch(/pcsync\.yaml is a symbolic link to a file outside/);
    expect(res2.stdout + res2.stderr).not.toMatch(/SECRETCONTENT|_authToken/);
    const report = await runCli(['report', '--dir', dir2], { env: { PARTNER_CENTER_ENDPOINT: 'http://127.0.0.1:9', PARTNER_CENTER_TOKEN: 'x' } });
    expect(report.code).toBe(1);
    expect(report.stderr).toMatch(/pcsync\.yaml is a symbolic link to a file outside/);
    expect(report.stderr).not.toMatch(/SECRETCONTENT|_authToken|internal error/);
  });

  it('names looping and dangling links and a directory named like a YAML file', async () => {
    const dir = copyDesiredState();
    const customers = join(dir, 'customers');
    symlinkSync(join(customers, 'loop-b.yaml'), join(customers, 'loop-a.yaml'));
    symlinkSync(join(customers, 'loop-a.yaml'), join(customers, 'loop-b.yaml'));
    symlinkSync(join(customers, 'gone.yaml'), join(customers, 'dangling.yaml'));
    mkdirSync(join(customers, 'folder.yaml'));
    const res = await runCli(['validate', dir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/loop-a\.yaml.*loops.*file\.symlink-loop/);
    expect(res.stderr).toMatch(/loop-b\.yaml.*loops/);
    expect(res.stderr).toMatch(/dangling\.yaml.*does not exist.*file\.dangling-symlink/);
    expect(res.stderr).toMatch(/folder\.yaml is a directory, not a customer file/);
    expect(res.stderr).not.toMatch(/internal error|ELOOP.*at /);
  });

  it('a symlink that stays inside desired-state/ is refused too, naming it (files and folders)', async () => {
    const dir = copyDesiredState();
    mkdirSync(join(dir, 'shared'));
    renameSync(join(dir, 'customers', 'contoso.yaml'), join(dir, 'shared', 'contoso.yaml'));
    symlinkSync(join(dir, 'shared', 'contoso.yaml'), join(dir, 'customers', 'contoso.yaml'));
    const res = await runCli(['validate', dir]);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr).toMatch(/customers\/contoso\.yaml is a symbolic link; desired-state files must be plain files.*file\.symlink/);

    const folder = copyDesiredState();
    mkdirSync(join(folder, 'shared'));
    renameSync(join(folder, 'customers', 'contoso.yaml'), join(folder, 'shared', 'contoso.yaml'));
    symlinkSync(join(folder, 'shared'), join(folder, 'customers', 'linked'));
    const res2 = await runCli(['validate', folder]);
    expect(res2.code, res2.stdout + res2.stderr).toBe(1);
    expect(res2.stderr).toMatch(/customers\/linked is a symbolic link to a directory, which is not followed.*replace the link with the folder itself/);

    // customers/ itself a link to a folder inside desired-state/
    const whole = copyDesiredState();
    renameSync(join(whole, 'customers'), join(whole, 'real-customers'));
    symlinkSync(join(whole, 'real-customers'), join(whole, 'customers'));
    const res3 = await runCli(['validate', whole]);
    expect(res3.code, res3.stdout + res3.stderr).toBe(1);
    expect(res3.stderr).toMatch(/is reached through the symbolic link .*customers; desired-state folders must be plain folders/);
  });

  it('a hard link (a second name of a file that may lie outside) is refused, naming it', async () => {
    const dir = copyDesiredState();
    const outside = secretOutside();
    const hard = join(dir, 'customers', 'evil.yaml');
    linkSync(outside, hard);
    const res = await runCli(['validate', dir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/customers\/evil\.yaml is a hard link \(the file has 2 names.*file\.hard-link/);
    expect(res.stdout + res.stderr).not.toMatch(/SECRETCONTENT|_authToken/);
    // the price list too
    const prices = copyDesiredState((f) => (f['pcsync.yaml'] += '\nprices:\n  file: prices.csv\n'));
    linkSync(outside, join(prices, 'prices.csv'));
    const plan = await runCli(['plan', '--dir', prices], { env: { PARTNER_CENTER_ENDPOINT: 'http://127.0.0.1:9', PARTNER_CENTER_TOKEN: 'x' } });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/prices\.file in pcsync\.yaml: .*prices\.csv is a hard link/);
    expect(plan.stdout + plan.stderr).not.toMatch(/SECRETCONTENT|_authToken/);
  });
});
