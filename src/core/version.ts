import { readFileSync } from 'node:fs';

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
  const pkg = JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as { version: string };
  cached = pkg.version;
  return cached;
}
