import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { api, startSim, type StartedSim } from './helpers/sim.js';
import { signToken } from '../src/sim/token-jwt.js';
import { verifierFor } from '../src/sim/token-server.js';

let sim: StartedSim;
afterEach(async () => sim?.close());

/** POST a form to the simulator's token endpoint, trusting its certificate (and nothing else) for this call. */
function postToken(s: StartedSim, tenant: string, form: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${s.auth.url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', ca: s.auth.ca, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(new URLSearchParams(form).toString());
  });
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
const SCOPE = 'https://api.partnercenter.microsoft.com/.default';

describe('simulator token endpoint (HTTPS on loopback) and token checks', () => {
  it('issues JWT-shaped tokens whose claims say app-only or App+User', async () => {
    sim = await startSim({ scenario: 'demo', auth: { clientSecret: 'cs', refreshToken: 'rt', tokenLifetimeSeconds: 120 } });
    const t = sim.auth.tenantId;
    const app = await postToken(sim, t, { grant_type: 'client_credentials', client_id: sim.auth.clientId, client_secret: 'cs', scope: SCOPE });
    expect(app.status).toBe(200);
    expect(app.body).toMatchObject({ token_type: 'Bearer', expires_in: 120, scope: SCOPE });
    expect(app.body.refresh_token).toBeUndefined();
    expect(claimsOf(app.body.access_token)).toMatchObject({ aud: 'https://api.partnercenter.microsoft.com', tid: t, idtyp: 'app' });
    expect(claimsOf(app.body.access_token).scp).toBeUndefined();

    const user = await postToken(sim, t, { grant_type: 'refresh_token', client_id: sim.auth.clientId, refresh_token: 'rt', scope: `${SCOPE} offline_access openid profile` });
    expect(user.status).toBe(200);
    expect(claimsOf(user.body.access_token)).toMatchObject({ idtyp: 'user', scp: 'user_impersonation' });
    expect(sim.auth.issued.map((i) => [i.grant, i.kind])).toEqual([['client_credentials', 'app'], ['refresh_token', 'app+user']]);
  });

  it('answers Entra ID errors without echoing secrets (table)', async () => {
    sim = await startSim({ scenario: 'demo', auth: { clientSecret: 'right-secret', refreshToken: 'right-refresh' } });
    const t = sim.auth.tenantId;
    const c = sim.auth.clientId;
    const cases: [string, string, Record<string, string>, number, string, number][] = [
      ['wrong secret', t, { grant_type: 'client_credentials', client_id: c, client_secret: 'wrong-secret-123', scope: SCOPE }, 401, 'invalid_client', 7000215],
      ['no secret for client credentials', t, { grant_type: 'client_credentials', client_id: c, scope: SCOPE }, 401, 'invalid_client', 7000216],
      ['wrong refresh token', t, { grant_type: 'refresh_token', client_id: c, refresh_token: 'wrong-refresh-123', scope: SCOPE }, 400, 'invalid_grant', 700082],
      ['unknown app', t, { grant_type: 'client_credentials', client_id: 'nope', client_secret: 'right-secret', scope: SCOPE }, 400, 'unauthorized_client', 700016],
      ['unknown tenant', 'contoso.example', { grant_type: 'client_credentials', client_id: c, client_secret: 'right-secret', scope: SCOPE }, 400, 'invalid_request', 90002],
      ['no resource scope', t, { grant_type: 'client_credentials', client_id: c, client_secret: 'right-secret', scope: 'openid' }, 400, 'invalid_scope', 1002012],
      ['unsupported grant', t, { grant_type: 'password', client_id: c, scope: SCOPE }, 400, 'unsupported_grant_type', 70003],
    ];
    for (const [name, tenant, form, status, error, aadsts] of cases) {
      const res = await postToken(sim, tenant, form);
      expect([name, res.status, res.body.error, res.body.error_codes]).toEqual([name, status, error, [aadsts]]);
      expect(JSON.stringify(res.body)).not.toMatch(/wrong-secret-123|wrong-refresh-123|right-secret|right-refresh/);
    }
    expect(sim.auth.issued).toEqual([]);
  });

  it('serves OpenID metadata naming its own token endpoint', async () => {
    sim = await startSim({ scenario: 'demo' });
    const meta = await new Promise<any>((resolve, reject) => {
      request(`${sim.auth.url}/${sim.auth.tenantId}/v2.0/.well-known/openid-configuration`, { ca: sim.auth.ca }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve(JSON.parse(text)));
      })
        .on('error', reject)
        .end();
    });
    expect(meta).toMatchObject({
      issuer: `${sim.auth.url}/${sim.auth.tenantId}/v2.0`,
      token_endpoint: `${sim.auth.url}/${sim.auth.tenantId}/oauth2/v2.0/token`,
      jwks_uri: expect.any(String),
      authorization_endpoint: expect.any(String),
    });
    expect(sim.auth.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses forged, expired and wrong-audience JWTs with 401; plain tokens still count as App+User', async () => {
    sim = await startSim({ scenario: 'demo', auth: { clientSecret: 'cs', refreshToken: 'rt' } });
    const good = await postToken(sim, sim.auth.tenantId, { grant_type: 'refresh_token', client_id: sim.auth.clientId, refresh_token: 'rt', scope: SCOPE });
    const claims = claimsOf(good.body.access_token);
    const simKey = verifierFor(sim.state)!.key;
    const cases: [string, string][] = [
      ['forged signature', signToken(claims, Buffer.alloc(32, 7))],
      ['expired', signToken({ ...claims, exp: Math.floor(Date.now() / 1000) - 1 }, simKey)],
      ['other audience', signToken({ ...claims, aud: 'https://graph.windows.net' }, simKey)],
      ['tampered claims', `${good.body.access_token.split('.')[0]}.${Buffer.from(JSON.stringify({ ...claims, idtyp: 'app' })).toString('base64url')}.${good.body.access_token.split('.')[2]}`],
    ];
    for (const [name, token] of cases) {
      const res = await api(sim.url, 'GET', '/v1/customers', { token });
      expect([name, res.status, res.body.code]).toEqual([name, 401, 800001]);
    }
    expect((await api(sim.url, 'GET', '/v1/customers', { token: good.body.access_token })).status).toBe(200);
    expect((await api(sim.url, 'GET', '/v1/customers', { token: 'sim' })).status).toBe(200);
    expect(sim.auth.uses.map((u) => u.kind)).toEqual(['app+user', 'plain']);
  });
});
