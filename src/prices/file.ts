import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
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
