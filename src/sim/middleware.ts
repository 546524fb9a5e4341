import { randomUUID } from 'node:crypto';
import { isAdminPath } from './admin.js';
import { header, type Middleware } from './context.js';
import { Code, invalidInput, SimFault } from './faults.js';
import { RESOURCE_OF, requestBodyOf, requestBodyProblems } from '../partner-center/request-schemas.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** Appends a client request (not /_sim) to the audit log on arrival and fills in its status once the reply is decided. */
export const recordRequest: Middleware = async (ctx, next) => {
  if (isAdminPath(ctx.path)) return next();
  const m = /^\/v1\/customers\/([^/]+)/i.exec(ctx.path);
  const named = m?.[1] ? safeDecode(m[1]) : undefined;
  const entry = ctx.audit.record({
    type: 'request',
    method: ctx.method,
    path: ctx.path,
    query: ctx.rawQuery,
    status: 0,
    ...(ctx.requestId !== undefined && { requestId: ctx.requestId }),
    ...(ctx.correlationId !== undefined && { correlationId: ctx.correlationId }),
    ...(named !== undefined && { customerId: ctx.state.customer(named)?.id ?? named }),
  });
  ctx.requestEntry = entry;
  try {
    await next();
  } finally {
    entry.status = ctx.reply.status;
  }
};

/** Echoes MS-RequestId (made up when absent) and MS-CorrelationId, on every reply including faults. */
export const echoIds: Middleware = async (ctx, next) => {
  ctx.reply.headers['MS-RequestId'] = ctx.requestId ?? randomUUID();
  if (ctx.correlationId !== undefined) ctx.reply.headers['MS-CorrelationId'] = ctx.correlationId;
  await next();
};

/** Turns a thrown SimFault into its ApiFault reply and anything else into 500 / 800003. */
export const faultBoundary: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const fault =
      err instanceof SimFault ? err : new SimFault(500, Code.unexpected, 'An unexpected error occurred in the simulator.', [String(err)]);
    ctx.reply.status = fault.status;
    ctx.reply.body = fault.toBody();
    delete ctx.reply.raw;
    Object.assign(ctx.reply.headers, fault.headers);
  }
};

/**
 * Every /v1 request needs `Authorization: Bearer <non-empty>`. Any such token is accepted for now; a later
 * middleware can check the token kind against `ctx.route.auth` (app vs app+user).
 */
export const requireBearer: Middleware = async (ctx, next) => {
  const m = /^Bearer\s+(\S.*)$/i.exec(header(ctx, 'authorization') ?? '');
  if (!m?.[1]) {
    throw new SimFault(401, Code.tokenMissing, 'Partner token missing in request context.', [], {
      'WWW-Authenticate': 'OAuth realm=urn:cpsvc:cpid:sim',
    });
  }
  ctx.token = m[1].trim();
  await next();
};

/** Reads and parses a JSON body (a UTF-8 BOM is tolerated); empty → undefined; bad JSON → 400 800002. */
export const readJsonBody: Middleware = async (ctx, next) => {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > MAX_BODY_BYTES) throw invalidInput('Request body too large.');
      chunks.push(buf);
    }
    const text = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
    if (text.trim() !== '') {
      try {
        ctx.body = JSON.parse(text);
      } catch {
        throw invalidInput('Request body is not valid JSON.');
      }
      if (ctx.requestEntry) ctx.requestEntry.body = ctx.body;
    }
  }
  await next();
};

/**
 * A body must be the documented resource of its request (schemas/partner-center/, shared with the client): an
 * undocumented field, one at the wrong level or a wrong type → 400 `800002`, nothing changes (missing fields and
 * out-of-range values are left to the route, which answers them with their own documented codes). Partner Center does not document how it treats an unknown field (its JSON reader may ignore it, and the
 * purchase then fails for the field that is missing, as with a misplaced attestation); refusing it here makes a
 * test fail wherever a client relies on a field the service does not read.
 */
export const documentedBody: Middleware = async (ctx, next) => {
  const name = ctx.body === undefined ? undefined : requestBodyOf(ctx.method, ctx.path);
  const problems = name ? requestBodyProblems(name, ctx.body, { shape: 'fields' }) : [];
  if (name && problems.length > 0) {
    throw new SimFault(400, Code.invalidInput, `The request body is not a valid ${RESOURCE_OF[name]}: ${problems.join('; ')}.`, problems);
  }
  await next();
};

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
