import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AUTHORITY, hasAppOnly, hasAppUser, readAuthSettings } from '../src/partner-center/auth-config.js';

const ids = { PARTNER_CENTER_TENANT_ID: 'partner.onmicrosoft.com', PARTNER_CENTER_CLIENT_ID: '5e1f0c3a-7d2b-4c6e-9a8f-0b1c2d3e4f50' };
const caFile = join(mkdtempSync(join(tmpdir(), 'pcsync-ca-')), 'ca.pem');
writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const notPem = join(tmpdir(), `pcsync-not-pem-${process.pid}.txt`);
writeFileSync(notPem, 'hello');

describe('authentication settings from environment variables', () => {
  const valid: [string, Record<string, string>, { appUser: boolean; app: boolean }][] = [
    ['pre-obtained token', { PARTNER_CENTER_TOKEN: 'x' }, { appUser: true, app: false }],
    ['refresh token (public client)', { ...ids, PARTNER_CENTER_REFRESH_TOKEN: 'r' }, { appUser: true, app: false }],
    ['client secret only', { ...ids, PARTNER_CENTER_CLIENT_SECRET: 's' }, { appUser: false, app: true }],
    ['both', { ...ids, PARTNER_CENTER_CLIENT_SECRET: 's', PARTNER_CENTER_REFRESH_TOKEN: 'r' }, { appUser: true, app: true }],
    ['token plus app-only', { ...ids, PARTNER_CENTER_TOKEN: 'x', PARTNER_CENTER_CLIENT_SECRET: 's' }, { appUser: true, app: true }],
    ['loopback authority with its CA', { ...ids, PARTNER_CENTER_REFRESH_TOKEN: 'r', PARTNER_CENTER_AUTHORITY: 'https://127.0.0.1:4443/', PARTNER_CENTER_AUTHORITY_CA: caFile }, { appUser: true, app: false }],
    ['empty variables count as unset', { ...ids, PARTNER_CENTER_TOKEN: '', PARTNER_CENTER_REFRESH_TOKEN: 'r', PARTNER_CENTER_CLIENT_SECRET: ' ' }, { appUser: true, app: false }],
  ];
  it.each(valid)('valid: %s', (_name, env, modes) => {
    const { settings, problems } = readAuthSettings(env);
    expect(problems).toEqual([]);
    expect({ appUser: hasAppUser(settings), app: hasAppOnly(settings) }).toEqual(modes);
  });

  const invalid: [string, Record<string, string>, string[]][] = [
    ['nothing set', {}, ['auth.missing']],
    ['token and refresh token', { ...ids, PARTNER_CENTER_TOKEN: 'x', PARTNER_CENTER_REFRESH_TOKEN: 'r' }, ['auth.ambiguous']],
    ['refresh token without ids', { PARTNER_CENTER_REFRESH_TOKEN: 'r' }, ['auth.incomplete']],
    ['secret without client id', { PARTNER_CENTER_TENANT_ID: 't', PARTNER_CENTER_CLIENT_SECRET: 's' }, ['auth.incomplete']],
    ['authority not a URL', { PARTNER_CENTER_TOKEN: 'x', PARTNER_CENTER_AUTHORITY: 'login' }, ['auth.authority']],
    ['authority over http', { PARTNER_CENTER_TOKEN: 'x', PARTNER_CENTER_AUTHORITY: 'http://127.0.0.1:4443' }, ['auth.authority']],
    ['CA for a non-loopback authority', { PARTNER_CENTER_TOKEN: 'x', PARTNER_CENTER_AUTHORITY_CA: caFile }, ['auth.authority-ca']],
    ['CA file missing', { PARTNER_CENTER_TOKEN: 'x', PARTNER_CENTER_AUTHORITY: 'https://localhost:1', PARTNER_CENTER_AUTHORITY_CA: '/nonexistent/ca.pem' }, ['auth.authority-ca']],
    ['CA file not PEM', { PARTNER_CENTER_TOKEN: 'x', PARTNER_CENTER_AUTHORITY: 'https://localhost:1', PARTNER_CENTER_AUTHORITY_CA: notPem }, ['auth.authority-ca']],
  ];
  it.each(invalid)('invalid: %s', (_name, env, codes) => {
    const { problems } = readAuthSettings(env);
    expect(problems.map((p) => p.code)).toEqual(codes);
    for (const p of problems) expect(p.fix).toMatch(/PARTNER_CENTER_|pcsync sim/);
  });

  it('defaults the authority to Entra ID and drops a trailing slash', () => {
    expect(readAuthSettings({ PARTNER_CENTER_TOKEN: 'x' }).settings.authority).toBe(DEFAULT_AUTHORITY);
    expect(readAuthSettings({ PARTNER_CENTER_TOKEN: 'x', PARTNER_CENTER_AUTHORITY: 'https://login.microsoftonline.us/' }).settings.authority).toBe('https://login.microsoftonline.us');
  });
});
