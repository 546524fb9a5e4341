import { describe, expect, it } from 'vitest';
import { credentialValues, defuseWorkflowCommands, excerpt, fenceFor, fenced, inertOutput, inertText, redactSecrets, serverText } from '../src/core/inert.js';
import { htmlText, mdText } from '../src/core/markdown-text.js';

describe('inertText: one value, one inert line', () => {
  it.each([
    ['ESC sequence (retitle)', 'a\u001b]0;pwned\u0007b', 'a\\u001b]0;pwned\\u0007b'],
    ['OSC 8 link', '\u001b]8;;https://x\u001b\\t', '\\u001b]8;;https://x\\u001b\\t'],
    ['bare CR forging a line', 'ok\rFAIL', 'ok FAIL'],
    ['newline with blanks', 'a \n  b', 'a b'],
    ['CR-LF, NEL, LS, PS', 'a\r\nb\u0085c\u2028d\u2029e', 'a b c d e'],
    ['tab', 'a\tb', 'a b'],
    ['bidi override and isolates', 'abc\u202eevil\u2066x\u2069', 'abc\\u202eevil\\u2066x\\u2069'],
    ['C1 CSI', 'a\u009b2Jb', 'a\\u009b2Jb'],
    ['DEL and NUL', 'a\u007f\u0000b', 'a\\u007f\\u0000b'],
    ['plain text untouched', 'Contoso Ltd — Zürich 🙂', 'Contoso Ltd — Zürich 🙂'],
  ])('%s', (_name, input, expected) => {
    expect(inertText(input)).toBe(expected);
  });
});

describe('inertOutput: a whole output at the boundary', () => {
  it('keeps newlines, tabs and CR-LF, escapes bare CR and other controls, defuses workflow commands', () => {
    const out = inertOutput('a\tb\nc\r\nd\re\u001b[2J\n::warning::x\n  ##[error]y\nok ::notice:: mid-line\n');
    expect(out).toBe('a\tb\nc\r\nd\\u000de\\u001b[2J\n: :warning::x\n  # #[error]y\nok ::notice:: mid-line\n');
  });

  it('leaves workflow commands alone only when asked (pcsync’s own annotations)', () => {
    expect(inertOutput('::error file=a.yaml::bad\n', { workflowCommands: true })).toBe('::error file=a.yaml::bad\n');
    expect(defuseWorkflowCommands('::error file=a.yaml::bad')).toBe(': :error file=a.yaml::bad');
  });

  it('keeps JSON valid: escapes are JSON escapes', () => {
    const json = JSON.stringify({ name: 'a\u0085b\u202ec' });
    expect(JSON.parse(inertOutput(json))).toEqual({ name: 'a\u0085b\u202ec' });
  });
});

describe('fenceFor: a fence its content cannot close', () => {
  it.each([
    ['', '```'],
    ['no backticks', '```'],
    ['``` inside', '````'],
    ['a ````` run and ``` another', '``````'],
  ])('%j → %s', (content, fence) => {
    expect(fenceFor(content)).toBe(fence);
  });

  it('fenced wraps content with the same fence at both ends', () => {
    expect(fenced('x\n```\ny', 'text')).toBe('````text\nx\n```\ny\n````\n');
  });
});

describe('redactSecrets: no credential leaves', () => {
  it('removes configured values and credential-looking fragments', () => {
    const text = [
      'Authorization: Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig',
      'authorization: canary-token-1234',
      'grant_type=refresh_token&refresh_token=0.AAAA-canary&client_secret=s3cr3t~value&scope=x',
      '{"client_secret": "abc\\"def", "refresh_token":"rt"}',
      'my configured CANARY-VALUE-42 here',
      'a bearer mdkfjslkdfjslkdjf token',
    ].join('\n');
    const out = redactSecrets(text, ['CANARY-VALUE-42', 'ab', undefined]);
    for (const leaked of ['eyJhbGci', 'canary-token-1234', '0.AAAA-canary', 's3cr3t~value', 'abc\\"def', '"rt"', 'CANARY-VALUE-42', 'mdkfjslkdfjslkdjf']) {
      expect(out).not.toContain(leaked);
    }
    expect(out).toContain('grant_type=refresh_token');
  });

  it('leaves ordinary prose alone', () => {
    const prose = 'CRM Basic (Qualified Offer) subscription; set PARTNER_CENTER_CLIENT_SECRET=<value> and a bearer token';
    expect(redactSecrets(prose)).toBe(prose);
  });

  it('credentialValues reads exactly the credential variables', () => {
    expect(credentialValues({ PARTNER_CENTER_TOKEN: 't1', PARTNER_CENTER_CLIENT_SECRET: '', PARTNER_CENTER_REFRESH_TOKEN: 'r1', PARTNER_CENTER_CLIENT_ID: 'id' })).toEqual(['t1', 'r1']);
    // issue 22: every secret pcsync reads, the price sheet's token and GitHub's included
    expect(credentialValues({ PARTNER_CENTER_PRICES_TOKEN: 'p1', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'o1', GITHUB_TOKEN: 'g1', PARTNER_CENTER_TENANT_ID: 'tenant' })).toEqual(['p1', 'o1', 'g1']);
  });

  it('serverText is inert, redacted and short', () => {
    const out = serverText(`Bad gateway.\nauthorization: Bearer abcdefghijkl\n${'x'.repeat(500)}`);
    expect(out).not.toMatch(/[\n\r]|abcdefghijkl/);
    expect(out.length).toBeLessThanOrEqual(301);
  });
});

describe('excerpt and the markdown escapes', () => {
  it('excerpt shows at most a short, quoted, inert part of a value', () => {
    expect(excerpt('root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin', 20)).toBe('"root:x:0:0:root:/roo…"');
  });

  it('mdText and htmlText build on inertText', () => {
    expect(mdText('a\u001b[2J\n</details> @team')).toBe('a\\\\u001b\\[2J \\</details\\> &#64;team');
    expect(htmlText('[x](javascript:alert(1)) <img onerror=y> \u202e')).toBe('&#91;x&#93;(javascript:alert(1)) &lt;img onerror=y&gt; \\u202e');
  });
});
