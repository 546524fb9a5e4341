import { confinedFileProblem } from '../desired/confine.js';
import { readFileSync, realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { UserError } from '../core/errors.js';
import { parsePriceCsv } from './csv.js';
import type { PriceSource } from './source.js';

/** `prices.file` of pcsync.yaml: the licence-based price list the partner downloads monthly, read from disk (no network). */
export function priceListFile(desiredDir: string, file: string, market: string, cwd: string): PriceSource {
  const path = resolve(desiredDir, file);
  const shown = relative(cwd, path) || path;
  const description = `price list ${shown}`;
  return {
    description,
    read: async () => {
      confine(desiredDir, path, shown);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new UserError('prices.file', `prices.file in pcsync.yaml: cannot read ${shown} (${code === 'ENOENT' ? 'no such file' : (code ?? 'unknown error')}); download the licence-based price list from Partner Center, or remove prices.`);
      }
      return { source: description, market, rows: parsePriceCsv(text, shown) };
    },
  };
}

/**
 * The price list must be a file of the desired-state directory (after following links): pcsync.yaml comes from
 * pull requests, and a path like `/proc/self/environ` or `../../.npmrc` must never be read, let alone quoted.
 */
function confine(desiredDir: string, path: string, shown: string): void {
  let real: string;
  let root: string;
  try {
    [real, root] = [realpathSync(path), realpathSync(desiredDir)];
  } catch {
    return; // a missing file is reported by the read, with its own message
  }
  if (real !== root && !real.startsWith(root + sep)) {
    throw new UserError('prices.file', `prices.file in pcsync.yaml: ${shown} is outside the desired-state directory; put the downloaded price list inside it (e.g. desired-state/prices.csv).`);
  }
  // Inside, but through a symbolic link or as a hard link: refused like a desired-state file (desired/confine.ts).
  const linked = confinedFileProblem(path, desiredDir, shown);
  if (linked && (linked.code === 'file.symlink' || linked.code === 'file.hard-link')) throw new UserError('prices.file', `prices.file in pcsync.yaml: ${linked.summary}.`);
}
