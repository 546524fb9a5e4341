import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { InternalError } from '../core/errors.js';
import { packageRoot } from '../core/version.js';

/** `schemas/` of the package. */
const schemaDir = new URL('schemas/', packageRoot);

/** `tenant` is the simulator's tenant file (`pcsync sim --scenario file.yaml`). */
export type SchemaName = 'customer' | 'partner' | 'tenant';

const compiled = new Map<SchemaName, ValidateFunction>();

function compile(name: SchemaName): ValidateFunction {
  const url = new URL(`${name === 'tenant' ? 'sim-tenant' : name}.schema.json`, schemaDir);
  let schema: unknown;
  try {
    schema = JSON.parse(readFileSync(url, 'utf8'));
  } catch (err) {
    throw new InternalError(`cannot load JSON schema ${url.pathname}`, { cause: err });
  }
  // strictRequired is off: `anyOf: [{required: [offer]}, …]` names properties declared one level up.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false });
  addFormats.default(ajv, ['email', 'hostname', 'date-time']);
  // Non-standard keyword editors (VS Code, yaml-language-server) show for a failed pattern; we use it too.
  ajv.addKeyword('patternErrorMessage');
  return ajv.compile(schema as object);
}

/** Validates `data` against `schemas/<name>.schema.json`; returns every error (ajv allErrors, verbose). */
export function validateAgainst(name: SchemaName, data: unknown): ErrorObject[] {
  let validate = compiled.get(name);
  if (!validate) {
    validate = compile(name);
    compiled.set(name, validate);
  }
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
