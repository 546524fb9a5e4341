/**
 * Ajv options for schemas that ship with pcsync (schemas/, wire-schema.ts). Checking a schema against the JSON
 * Schema meta-schema first compiled the meta-schema in every process, ~50 ms of each pcsync start; the schemas
 * cannot change after the build, so `test/schemas-valid.test.ts` checks them all against the meta-schema once
 * instead. `strict` still refuses unknown keywords while compiling.
 */
export const AJV_OPTIONS_FOR_OWN_SCHEMAS = { validateSchema: false } as const;
