import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { AJV_OPTIONS_FOR_OWN_SCHEMAS } from '../core/own-schemas.js';
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
  ajv ??= desiredAjv();
  return ajv.compile(schema as object);
}

let ajv: Ajv | undefined;

/**
 * One Ajv for every desired-state schema. strictRequired is off: `anyOf: [{required: [offer]}, …]` names properties
 * declared one level up. `validateSchema` is off (AJV_OPTIONS_FOR_OWN_SCHEMAS): the schemas ship with pcsync.
 */
function desiredAjv(): Ajv {
  const made = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, ...AJV_OPTIONS_FOR_OWN_SCHEMAS });
  addFormats.default(made, ['email', 'hostname', 'date-time']);
  // Non-standard keyword editors (VS Code, yaml-language-server) show for a failed pattern; we use it too.
  made.addKeyword('patternErrorMessage');
  return made;
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
