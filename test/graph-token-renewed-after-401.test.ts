import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphClient } from '../src/partner-center/graph.js';
import type { TokenSource } from '../src/partner-center/auth-msal.js';

/**
 * Graph refuses an expired token with 401 and does nothing, as Partner Center does. A run that outlives its Graph
 * token (or meets a service whose clock runs ahead) must get its GDAP reads answered on a new token, not fail them.
 */
let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A Graph stand-in on loopback that accepts only `accepted` tokens; records the token of every request. */
async function graph(accepted: (token: string) => boolean): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  server = createServer((req, res) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    seen.push(token);
    res.setHeader('Content-Type', 'application/json');
    if (!accepted(token)) {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' } }));
      return;
    }
    res.end(JSON.stringify({ value: [{ id: 'G1' }] }));
  });
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

/** Tokens t1, t2, …; each says it lives an hour, so only a 401 makes the client ask for another. */
function source(renewable: boolean): TokenSource & { issued: number } {
  const s = {
    mode: 'app+user' as const,
    description: 'test',
    renewable,
    issued: 0,
    acquire: async () => ({ token: `t${++s.issued}`, expiresOn: Date.now() + 3_600_000 }),
  };
  return s;
}

const policy = { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 5_000 };

describe('Graph reads on an expired token', () => {
  it('a 401 on a renewable token is sent once more on a new token, and the read succeeds', async () => {
    const g = await graph((t) => t !== 't1');
    const tokens = source(true);
    const client = new GraphClient(g.url, tokens, policy);
    await expect(client.myGroupIds()).resolves.toEqual(['g1']);
    expect(g.seen).toEqual(['t1', 't2']);
    // the new token is kept: the next read does not sign in again
    await client.myGroupIds();
    expect(g.seen).toEqual(['t1', 't2', 't2']);
    expect(tokens.issued).toBe(2);
  });

  it('a token that cannot be renewed (PARTNER_CENTER_GRAPH_TOKEN) is not sent again: the 401 is reported once', async () => {
    const g = await graph(() => false);
    const client = new GraphClient(g.url, source(false), policy);
    await expect(client.myGroupIds()).rejects.toThrow(/HTTP 401 InvalidAuthenticationToken/);
    expect(g.seen).toEqual(['t1']);
  });

  it('a new token refused too is reported, not retried in a loop', async () => {
    const g = await graph(() => false);
    const client = new GraphClient(g.url, source(true), policy);
    await expect(client.myGroupIds()).rejects.toThrow(/HTTP 401/);
    expect(g.seen).toEqual(['t1', 't2']);
  });
});
