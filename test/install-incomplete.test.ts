import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/sim.js';

/** Runs `node <dist>/cli/main.js …` from a copy of dist/ (the CLI bundle needs nothing else but package.json). */
function run(dist: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(dist, 'cli', 'main.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('an incomplete installation says so, without a stack trace', () => {
  it('dist/ without the package.json beside it: exit 1, who must act, no trace', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pcsync-install-'));
    cpSync(join(repoRoot, 'dist'), join(root, 'dist'), { recursive: true });
    const res = await run(join(root, 'dist'), ['--version']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("pcsync's own package.json cannot be read (ENOENT");
    expect(res.stderr).toContain('must install it again');
    expect(res.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('the same copy with package.json runs (the bundle needs nothing from node_modules)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pcsync-install-'));
    cpSync(join(repoRoot, 'dist'), join(root, 'dist'), { recursive: true });
    cpSync(join(repoRoot, 'package.json'), join(root, 'package.json'));
    const res = await run(join(root, 'dist'), ['--version']);
    expect(res.stderr).toBe('');
    expect(res.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(res.code).toBe(0);
  });
});
