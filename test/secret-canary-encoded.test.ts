import { describe, expect, it } from 'vitest';
import { encodedForms, redactSecrets, serverText } from '../src/core/inert.js';
import { outputGuard } from '../src/cli/io.js';
import { runCli } from './helpers/sim.js';

/**
 * The secret canary pattern (test/secret-canary-every-command.test.ts) for encoded secrets: a credential planted
 * in a variable may come back from a server or a proxy percent-encoded (a form body, a URL) or base64-encoded (a
 * Basic Authorization header, a token inside a longer encoded value) in error text. None of these forms leaves pcsync.
 */
const CANARY = 'CANARY+refresh/Token=M9n8 b7v6c5x4';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');
/** Every way the canary may be echoed: raw, percent-encoded (both hex cases, form +), base64 alone and inside longer values. */
const ECHOES = [
  CANARY,
  encodeURIComponent(CANARY),
  encodeURIComponent(CANARY).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
  encodeURIComponent(CANARY).replace(/%20/g, '+'),
  b64(CANARY),
  b64url(CANARY),
  b64(`client-id:${CANARY}`),
  b64(`x:${CANARY}`),
  b64(`xy:${CANARY}`),
  b64url(`{"rt":"${CANARY}","n":1}`),
];
/** What must not survive: the canary itself, and any 12-character stretch of an encoding that carries it. */
function leaks(text: string): string[] {
  const out: string[] = [];
  if (text.includes('M9n8')) out.push('raw fragment');
  for (const e of ECHOES) {
    for (let i = 0; i + 16 <= e.length; i += 4) {
      const piece = e.slice(i, i + 16);
      if (!/[A-Za-z0-9]{6}/.test(piece) || !text.includes(piece)) continue;
      // a stretch that does not depend on the canary (the encoded "client-id:" prefix) may stay
      if (!ECHOES.some((x) => x === e) || e.indexOf(piece) < 8) continue;
      out.push(piece);
    }
  }
  return out;
}

describe('encoded credentials are redacted like the credential itself', () => {
  it('redactSecrets removes the percent-encoded and base64 forms of each configured secret, at any alignment', () => {
    for (const echo of ECHOES) {
      const text = `sign-in refused: {"error":"invalid_grant","echo":"Basic ${echo}","url":"https://login.example/t?x=${echo}&y=1"}`;
      const out = redactSecrets(text, [CANARY]);
      expect(out, echo).toContain('[redacted]');
      expect(leaks(out), `${echo} → ${out}`).toEqual([]);
    }
    // and nothing else is touched
    expect(redactSecrets('ordinary text about Q0FOQVJZ and 8 seats', [CANARY])).toBe('ordinary text about Q0FOQVJZ and 8 seats');
    expect(encodedForms(CANARY)).toContain(encodeURIComponent(CANARY));

  });

  it('the output boundary (every stream and file) drops them for each credential variable', () => {
    for (const variable of ['PARTNER_CENTER_TOKEN', 'PARTNER_CENTER_CLIENT_SECRET', 'PARTNER_CENTER_REFRESH_TOKEN', 'PARTNER_CENTER_PRICES_TOKEN', 'PARTNER_CENTER_GRAPH_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'GITHUB_TOKEN']) {
      const guard = outputGuard({ [variable]: CANARY });
      for (const echo of ECHOES) {
        const out = guard(`pcsync: Partner Center said: "${serverText(`bad request ${echo} end`)}"\n`);
        expect(leaks(out), `${variable}: ${out}`).toEqual([]);
      }
    }
  });

  it('a CLI error that quotes a value holding the percent-encoded or base64 credential does not print it', async () => {
    const token = 'CANARYtok/en=Q7';
    for (const echo of [encodeURIComponent(token), b64(token)]) {
      expect(echo.length).toBeLessThanOrEqual(24); // quoted whole by the error (it cuts values longer than 24)
      const r = await runCli(['plan'], { env: { PARTNER_CENTER_TOKEN: token, PARTNER_CENTER_ENDPOINT: 'https://127.0.0.1:9', PCSYNC_POLL_MS: echo } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/PCSYNC_POLL_MS="\[redacted\]" is not valid/);
      expect(r.stdout + r.stderr).not.toContain(echo);
    }
  });
});
