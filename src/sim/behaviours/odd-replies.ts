import type { Middleware } from '../context.js';
import { header } from '../context.js';
import { Code } from '../faults.js';
import { faultBehaviour } from './select.js';
import type { FaultRule } from './types.js';

/**
 * Replies that are not errors and still not answers, and a gateway that repeats what it was sent — what a
 * proxy, a captive portal or a misconfigured front door in front of Partner Center does (SPEC.md). Each answers
 * before the request is processed: nothing changes.
 */

/** `status` (default 302) with `Location` (default `https://login.example.invalid/`) and an empty body. */
export function redirects(rule: FaultRule & { status?: number; location?: string }, seed: number): Middleware {
  return faultBehaviour(rule, seed, 'redirect', (ctx) => {
    ctx.reply.status = rule.status ?? 302;
    ctx.reply.headers['Location'] = rule.location ?? 'https://login.example.invalid/';
    delete ctx.reply.body;
    delete ctx.reply.raw;
  });
}

/** `status` (default 200) with no body at all. */
export function emptyReplies(rule: FaultRule & { status?: number }, seed: number): Middleware {
  return faultBehaviour(rule, seed, 'empty-reply', (ctx) => {
    ctx.reply.status = rule.status ?? 200;
    delete ctx.reply.body;
    delete ctx.reply.raw;
  });
}

/**
 * `status` (default 502) with an ApiFault (`800003`) whose description repeats the request's headers, the
 * `Authorization` header included, as a careless gateway's error page does.
 */
export function echoHeaders(rule: FaultRule & { status?: number }, seed: number): Middleware {
  return faultBehaviour(rule, seed, 'echo-headers', (ctx) => {
    const seen = ['authorization', 'ms-requestid', 'ms-correlationid'].map((h) => `${h}: ${header(ctx, h) ?? ''}`).join('\n');
    ctx.reply.status = rule.status ?? 502;
    ctx.reply.body = { code: Code.unexpected, description: `Bad gateway. Request was:\n${seen}`, data: [seen], source: 'PartnerFD' };
    delete ctx.reply.raw;
  });
}
