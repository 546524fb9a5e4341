/**
 * Untrusted text made inert, in one pure module. Company names, offer names, UPNs, friendly names, file names
 * and server messages come from outside; wherever pcsync shows them (terminal, CI log, PR comment, job
 * summary, YAML it writes) they must not steer what shows them: no terminal escape (ESC sequences, BEL, bare
 * CR, OSC 8 links), no bidi override that reorders what a reviewer reads, no line break that forges a line,
 * no backtick run that closes a code fence, no GitHub workflow command, no credential.
 *
 * Output boundaries call these; renderers call `inertText` on each value (the markdown renderers build on it
 * in markdown-text.ts).
 */

/** C0 controls, DEL and C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Bidi embeddings, overrides, isolates and marks (Trojan Source: CVE-2021-42574), and the BOM / ZWNBSP. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** Every line break a terminal, a browser or a YAML/markdown parser may honour, with the blanks around it. */
const LINE_BREAKS = /[ \t]*(?:\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029])[\s]*/g;

/**
 * `\u001b`, `\u202e`: a visible, inert stand-in for a character that must not reach a terminal or a page (the
 * JSON escape form, so a JSON document passing an output boundary stays valid JSON).
 */
function escapeChar(c: string): string {
  return `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}

/**
 * One value, safe on one line of any text output: line breaks (with the blanks around them) collapse to one
 * space, tabs become spaces, and every other control or bidi character is shown escaped (`\u001b`, `\u202e`),
 * so nothing is executed and a reviewer still sees that something odd was there.
 */
export function inertText(s: string): string {
  return String(s).replace(LINE_BREAKS, ' ').replace(/\t/g, ' ').replace(CONTROL, escapeChar).replace(BIDI, escapeChar);
}

/**
 * The SGR sequences `render/style.ts` writes (reset, bold, dim, red, green, yellow, magenta, cyan): the only
 * escapes allowed through an output boundary, and only to a stream where colour is on. None of them can hide
 * text (no black, no background, no conceal).
 */
const STYLE_SGR = /\u001b\[(?:0|1|2|31|32|33|35|36)m/g;

/** Lines a GitHub runner would read as a workflow command (`::warning::…`, the older `##[error]…`). */
const WORKFLOW_COMMAND = /^([ \t]*)(::|##\[)/gm;

/**
 * A whole multi-line output made inert at the boundary where it leaves pcsync (stdout, stderr, files):
 * newlines, tabs and CR-LF line ends (CSV) stay; a bare CR and every other control or bidi character is
 * escaped; a line that looks like a GitHub workflow command is defused (`::x` → `: :x`) so it never reaches a
 * CI log as a command. Pass `{ workflowCommands: true }` only for the annotations pcsync itself writes.
 */
export function inertOutput(text: string, opts: { workflowCommands?: boolean; allowStyle?: boolean } = {}): string {
  if (opts.allowStyle) {
    // The colours pcsync's own style() writes pass; every other escape is shown escaped as usual.
    const parts = String(text).split(STYLE_SGR);
    const styles = String(text).match(STYLE_SGR) ?? [];
    return parts.map((p, i) => inertOutput(p, { workflowCommands: opts.workflowCommands }) + (styles[i] ?? '')).join('');
  }
  const out = String(text)
    .replace(/\r(?!\n)/g, escapeChar)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, escapeChar)
    .replace(BIDI, escapeChar);
  return opts.workflowCommands ? out : defuseWorkflowCommands(out);
}

/** `::warning::x` at the start of a line → `: :warning::x`; `##[error]` → `# #[error]`. */
export function defuseWorkflowCommands(text: string): string {
  return text.replace(WORKFLOW_COMMAND, (_m, blank: string, cmd: string) => `${blank}${cmd[0]} ${cmd.slice(1)}`);
}

/**
 * A markdown code fence for `content`: backticks, one more than the longest backtick run in it (at least
 * three), so nothing inside can close it.
 */
export function fenceFor(content: string): string {
  const longest = Math.max(0, ...[...String(content).matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** `content` inside a fence that it cannot close, as lines ready to append to a markdown file. */
export function fenced(content: string, info = ''): string {
  const fence = fenceFor(content);
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `${fence}${info}\n${body}${fence}\n`;
}

/**
 * At most `max` characters of a value, made inert and quoted: what an error may show of a value it did not
 * expect (a file's content, a server reply), never the whole of it.
 */
export function excerpt(s: string, max = 40): string {
  const one = inertText(s);
  return JSON.stringify(one.length <= max ? one : `${one.slice(0, max)}…`);
}

const REDACTED = '[redacted]';

/**
 * Credential-looking fragments, whoever sent them: a bearer or basic `Authorization` value, OAuth form or
 * JSON fields (`client_secret=…`, `"refresh_token": "…"`), and anything shaped like a JWT.
 */
const SECRET_FRAGMENTS: readonly [RegExp, string][] = [
  [/\b(Authorization"?\s*[:=]\s*"?)(?:(?:Bearer|Basic|Negotiate)(?:\s+|%20|\+))?[^\s"',;]+/gi, `$1${REDACTED}`],
  [/\bBearer(?:\s+|%20|\+)[A-Za-z0-9\-._~+/%]{8,}=*/gi, `Bearer ${REDACTED}`],
  [/\b(client_secret|refresh_token|access_token|id_token|client_assertion|assertion|password)=[^&\s"',;]+/gi, `$1=${REDACTED}`],
  [/("(?:client_secret|refresh_token|access_token|id_token|client_assertion|password)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${REDACTED}"`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
];

/**
 * `text` without any of `secrets` (the configured credential values; values shorter than 4 characters are
 * ignored, they would blank out ordinary words) and without bearer/secret-looking fragments.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = String(text);
  const raw = secrets.map((s) => s?.trim()).filter((s): s is string => !!s && s.length >= 4);
  const known = knownForms(raw);
  for (const s of known) out = out.split(s).join(REDACTED);
  for (const [pattern, replacement] of SECRET_FRAGMENTS) out = out.replace(pattern, replacement);
  return out;
}

/** The forms of a set of secrets, longest first; the last set is kept (the output boundary asks for the same one every write). */
let lastForms: { key: string; forms: string[] } | undefined;
function knownForms(secrets: readonly string[]): string[] {
  const key = secrets.join('\u0000');
  if (lastForms?.key !== key) lastForms = { key, forms: [...new Set(secrets.flatMap(encodedForms))].sort((a, b) => b.length - a.length) };
  return lastForms.forms;
}

/**
 * A secret as it may appear in error text: itself; percent-encoded (`encodeURIComponent`, upper- and lower-case hex,
 * and the form encoding's `+` for a space); and base64 / base64url — at each of the three alignments it can have
 * inside a longer encoded value (`Basic base64(client:secret)`), keeping only the characters that depend on the
 * secret alone. Forms shorter than 8 characters are left out: they would blank ordinary text.
 */
export function encodedForms(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const forms = new Set([secret, uri, uri.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()), uri.replace(/%20/g, '+')]);
  const bytes = Buffer.from(secret, 'utf8');
  for (const k of [0, 1, 2]) {
    const b64 = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64').replace(/=+$/, '');
    const start = k === 0 ? 0 : k === 1 ? 2 : 3;
    // The last character of a partial group also depends on whatever follows the secret.
    const end = (k + bytes.length) % 3 === 0 ? b64.length : b64.length - 1;
    const core = b64.slice(start, end);
    // Alone (k = 0), the whole encoding with its padding is a form as well.
    if (k === 0) forms.add(Buffer.from(bytes).toString('base64'));
    for (const f of [core, core.replace(/\+/g, '-').replace(/\//g, '_')]) if (f.length >= 8) forms.add(f);
  }
  return [...forms].filter((f) => f.length >= 4);
}

/**
 * Every environment variable pcsync reads whose value is a credential; their values never leave pcsync (the output
 * boundary blanks them) and the action blanks them in every step that does not run pcsync:
 * - Partner Center: the pre-obtained token, the app secret, the refresh token, the price sheet's and Graph's own tokens;
 * - GitHub: the runner's OIDC request token (`id-token: write`; pcsync exchanges it for the federated assertion)
 *   and `GITHUB_TOKEN` (apply asks whether the CI run holding a lock is over).
 */
export const CREDENTIAL_VARIABLES = [
  'PARTNER_CENTER_TOKEN',
  'PARTNER_CENTER_CLIENT_SECRET',
  'PARTNER_CENTER_REFRESH_TOKEN',
  'PARTNER_CENTER_PRICES_TOKEN',
  'PARTNER_CENTER_GRAPH_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'GITHUB_TOKEN',
] as const;

/** The configured credential values in `env` (unset and empty ones left out). */
export function credentialValues(env: Readonly<Record<string, string | undefined>>): string[] {
  return CREDENTIAL_VARIABLES.map((k) => env[k]).filter((v): v is string => !!v && v.trim() !== '');
}

/** Untrusted server text for an error message: inert, without credentials, at most `max` characters. */
export function serverText(s: string, max = 300): string {
  const one = inertText(redactSecrets(s));
  return one.length <= max ? one : `${one.slice(0, max)}…`;
}
