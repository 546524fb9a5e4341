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
// The bundle holds the dependencies' code too, so an install that changed only the lock file (a transitive fix,
// `npm audit fix`) makes dist/ stale like a source change; npm rewrites node_modules/.package-lock.json on every
// install that changes node_modules.
const sources = Math.max(
  newest('src'),
  ...['tsconfig.json', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'scripts/bundle.mjs', 'scripts/prepare.mjs'].map(mtime),
);
// A dist/ left unbundled (a build stopped after tsc, or made without the bundler's native binding) is stale
// whenever the bundler can be loaded now.
const unbundled = built > 0 && !existsSync('dist/pcsync/main.js') && canBundle();
if (built > 0 && built >= sources && !unbundled) process.exit(0);

console.error(`pcsync: ${built === 0 ? 'building dist/' : unbundled ? 'dist/ is not bundled: rebuilding it' : 'dist/ is older than its sources: rebuilding it'} (tsc, 10-20 s)…`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist.next', { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--outDir', 'dist.next'], { stdio: 'inherit' });
// the bundle only speeds start-up: without the bundler (its native binding missing, e.g. npm ci --omit=optional)
// dist/ works unbundled
await bundle('dist.next').catch((err) => console.error(`pcsync: not bundled (${err instanceof Error ? err.message : String(err)}); dist/ works unbundled, only slower to start.`));
rmSync('dist.old', { recursive: true, force: true });
if (existsSync('dist')) renameSync('dist', 'dist.old');
renameSync('dist.next', 'dist');
rmSync('dist.old', { recursive: true, force: true });
console.error('pcsync: dist/ is built.');

/** True when rolldown (the bundler, with its native binding) loads here. */
function canBundle() {
  try {
    createRequire(import.meta.url)('rolldown');
    return true;
  } catch {
    return false;
  }
}
