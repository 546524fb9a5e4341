import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** pcsync's version from package.json (two levels up from src/core or dist/core). */
export function pcsyncVersion(): string {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  cached = pkg.version;
  return cached;
}
