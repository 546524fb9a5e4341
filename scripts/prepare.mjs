// npm runs `prepare` after `npm ci` / `npm install` in this checkout, and again when the first `npx pcsync …`
// installs the checkout into npx's cache; `npm test` runs it too, so a clean clone (`.ci/run`: npm ci, then npm test)
// builds once, not twice. Rebuilding dist/ there took 9-16 s behind npx's spinner and rewrote files
// that other processes (a test run) were loading. So: build only when dist/ is missing or older than a source, say
// so on stderr, and build into dist.next/ before swapping it in, so dist/ is never half-written.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bundle } from './bundle.mjs';

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((n, e) => Math.max(n, e.isDirectory() ? newest(join(dir, e.name)) : mtime(join(dir, e.name))), 0);

const built = mtime('dist/cli/main.js');
const sources = Math.max(newest('src'), mtime('tsconfig.json'), mtime('package.json'), mtime('scripts/bundle.mjs'));
if (built > 0 && built >= sources) process.exit(0);

console.error(`pcsync: ${built === 0 ? 'building dist/' : 'dist/ is older than src/: rebuilding it'} (tsc, 10-20 s)…`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist.next', { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--outDir', 'dist.next'], { stdio: 'inherit' });
// the bundle only speeds start-up: without the bundler (an install without devDependencies) dist/ works unbundled
await bundle('dist.next').catch((err) => console.error(`pcsync: not bundled (${err instanceof Error ? err.message : String(err)}); dist/ works unbundled, only slower to start.`));
rmSync('dist.old', { recursive: true, force: true });
if (existsSync('dist')) renameSync('dist', 'dist.old');
renameSync('dist.next', 'dist');
rmSync('dist.old', { recursive: true, force: true });
console.error('pcsync: dist/ is built.');
