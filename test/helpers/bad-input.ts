import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bad-input corpus: YAML the loader must refuse, with the one error it gives (code and position). */
export const corpus = join(dirname(dirname(fileURLToPath(import.meta.url))), 'fixtures', 'bad-input');

export const BAD_INPUT_CASES: readonly { file: string; code: string; line: number; column: number }[] = [
  { file: 'malformed.yaml', code: 'yaml.syntax', line: 8, column: 5 },
  { file: 'tab-indent.yaml', code: 'yaml.syntax', line: 4, column: 1 },
  { file: 'two-documents.yaml', code: 'yaml.syntax', line: 5, column: 1 },
  { file: 'duplicate-key.yaml', code: 'yaml.duplicate-key', line: 8, column: 3 },
  { file: 'alias-bomb.yaml', code: 'yaml.alias-limit', line: 9, column: 10 },
  { file: 'alias-recursive.yaml', code: 'yaml.alias-limit', line: 5, column: 9 },
  { file: 'utf16.yaml', code: 'file.encoding', line: 1, column: 1 },
  { file: 'utf16-no-bom.yaml', code: 'file.encoding', line: 1, column: 2 },
  { file: 'invalid-utf8.yaml', code: 'file.encoding', line: 5, column: 14 },
  { file: 'empty.yaml', code: 'file.empty', line: 1, column: 1 },
  { file: 'comments-only.yaml', code: 'file.empty', line: 1, column: 1 },
  { file: 'scalar.yaml', code: 'schema.type', line: 1, column: 1 },
  { file: 'list.yaml', code: 'schema.type', line: 1, column: 1 },
  { file: 'wrong-kind.yaml', code: 'schema.enum', line: 2, column: 7 },
];

/** The same corpus files as pcsync.yaml. */
export const BAD_PARTNER_CASES: readonly { file: string; code: string; line: number; column: number }[] = [
  { file: 'list.yaml', code: 'schema.type', line: 1, column: 1 },
  { file: 'duplicate-key.yaml', code: 'yaml.duplicate-key', line: 8, column: 3 },
  { file: 'utf16.yaml', code: 'file.encoding', line: 1, column: 1 },
];
