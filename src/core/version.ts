import { readFileSync } from 'node:fs';
import { UserError } from './errors.js';

/**
 * The package's root directory (two levels up from src/core, dist/core or the CLI bundle in dist/pcsync; see
 * scripts/bundle.mjs). Every file pcsync reads from its own package (package.json, schemas/) is found from here,
 * so a module's own depth in the tree never matters — in the bundle every module shares the bundle's URL.
 */
export const packageRoot = new URL('../../', import.meta.url);

let cached: string | undefined;

/** pcsync's version from package.json. */
export function pcsyncVersion(): string {
  if (cached) return cached;
  const file = new URL('package.json', packageRoot);
  let pkg: { version?: unknown };
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new UserError('install.incomplete', `pcsync's own package.json cannot be read (${why}: ${file.pathname}): this installation of pcsync is incomplete; whoever installed it must install it again (npm ci). Nothing was sent.`);
  }
  if (typeof pkg.version !== 'string') throw new UserError('install.incomplete', `pcsync's own package.json (${file.pathname}) has no version: this installation of pcsync is damaged; whoever installed it must install it again (npm ci). Nothing was sent.`);
  cached = pkg.version;
  return cached;
}
