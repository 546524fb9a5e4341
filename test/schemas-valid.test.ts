import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { COLLECTION_SCHEMA, SCHEMAS } from '../src/partner-center/wire-schema.js';
import { repoRoot } from './helpers/sim.js';

/**
 * pcsync compiles its own schemas without checking them against the JSON Schema meta-schema at run time
 * (core/own-schemas.ts: that check compiled the meta-schema in every process, ~50 ms of each start). This test is
 * where that check happens instead: every file in schemas/ and every wire schema Partner Center's replies are read
 * with is a valid JSON Schema.
 */
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []));

const metaCheck = () => new Ajv({ strict: false });

describe('schemas that ship with pcsync are valid JSON Schemas', () => {
  const found = files(join(repoRoot, 'schemas'));

  it('finds the schema files', () => {
    expect(found.map((f) => f.slice(repoRoot.length)).sort()).toEqual(expect.arrayContaining(['schemas/customer.schema.json', 'schemas/partner.schema.json', 'schemas/partner-center/order.schema.json']));
  });

  it.each(found.map((f) => [f.slice(repoRoot.length), f]))('%s', (_name, file) => {
    const ajv = metaCheck();
    const ok = ajv.validateSchema(JSON.parse(readFileSync(file, 'utf8')) as object);
    expect(ajv.errorsText(ajv.errors), file).toBe('No errors');
    expect(ok).toBe(true);
  });

  it.each(Object.entries({ ...SCHEMAS, collection: COLLECTION_SCHEMA }))('wire schema %s', (_name, schema) => {
    const ajv = metaCheck();
    ajv.validateSchema(schema);
    expect(ajv.errorsText(ajv.errors)).toBe('No errors');
  });

  it('the check refuses a schema the meta-schema does not allow', () => {
    const ajv = metaCheck();
    expect(ajv.validateSchema({ type: 'object', properties: { a: { type: 'no-such-type' } }, required: 'a' })).toBe(false);
  });
});
