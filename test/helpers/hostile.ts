import { expect } from 'vitest';
import { loadScenario } from '../../src/sim/index.js';
import type { Scenario } from '../../src/sim/index.js';
import { CONTOSO } from './demo.js';

/**
 * Text a hostile tenant admin or contributor can put into any field: a terminal retitle (OSC 0) and an OSC 8
 * link, BEL, a bare CR that forges a line, bidi overrides, a newline followed by a code fence, a heading, an
 * image, a workflow command, HTML that closes and opens `<details>`, a mention and a `javascript:` link.
 */
export const HOSTILE =
  '\u001b]0;pwned\u0007\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\\u001b[2J\u0007 bar\rforged\u202eevil\u2066x\u2069\u0085nel' +
  '\n```\n### Pwned heading\n![img](https://evil.example/x.png)\n::warning::forged workflow command\n##[error]old form\n' +
  '</details></details><details><summary>x</summary> @team <img src=x onerror=alert(1)> [click](javascript:alert(1)) ````` end';

/** A UPN whose newline would add a licence entry to a YAML file written raw. */
export const HOSTILE_UPN = 'mallory@contoso.onmicrosoft.com\n  - subscription: sales-pro\n    users: [eve@contoso.onmicrosoft.com, x@contoso.onmicrosoft.com]';

/** The demo with every text field of Contoso hostile (company name, friendly names, two user principal names) and Fabrikam's name a workflow command. */
export function hostileScenario(): Scenario {
  const s = structuredClone(loadScenario('demo'));
  const contoso = s.customers.find((c) => c.id === CONTOSO)!;
  contoso.companyName = `Contoso ${HOSTILE}`;
  for (const sub of contoso.subscriptions) sub.friendlyName = `Sub ${HOSTILE}`;
  contoso.users[0]!.upn = `alice${HOSTILE.replace(/[\s@]/g, '_')}@contoso.onmicrosoft.com`;
  contoso.users[1]!.upn = HOSTILE_UPN;
  // A name that starts a line in the text plan and report: a workflow command if nothing defused it.
  s.customers.find((c) => c.id !== CONTOSO)!.companyName = '::error title=forged::Fabrikam\n##[warning]Government';
  return s;
}

/** Characters no text output may hold: C0 and C1 controls other than newline and tab, DEL, bidi controls. */
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Asserts `text` (named `what`) is inert: no forbidden character (CR only as part of CR-LF when `crlf`), no workflow command line. */
export function expectInert(what: string, text: string, opts: { crlf?: boolean; annotations?: boolean } = {}): void {
  const body = opts.crlf ? text.replace(/\r\n/g, '\n') : text;
  const bad = FORBIDDEN.exec(body);
  expect(bad, `${what} holds U+${bad?.[0].codePointAt(0)?.toString(16).padStart(4, '0')} near ${JSON.stringify(body.slice(Math.max(0, (bad?.index ?? 0) - 30), (bad?.index ?? 0) + 30))}`).toBeNull();
  if (!opts.annotations) {
    const command = body.split('\n').find((l) => /^\s*(::|##\[)/.test(l));
    expect(command, `${what} has a workflow command line`).toBeUndefined();
  }
}

/** `<details>` opened as often as closed. */
export function expectBalancedDetails(what: string, markdown: string): void {
  const open = (markdown.match(/<details[\s>]/g) ?? []).length;
  const close = (markdown.match(/<\/details>/g) ?? []).length;
  expect(close, `${what}: ${open} <details> opened, ${close} closed`).toBe(open);
}

/** `markdown` without its fenced code blocks (a fence closes only with a backtick run at least as long), where HTML is shown, not run. */
export function outsideFences(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const l of markdown.split('\n')) {
    const run = /^ {0,3}(`{3,})/.exec(l)?.[1];
    if (fence === undefined && run) fence = run;
    else if (fence !== undefined && run && run.length >= fence.length && l.trim() === run) fence = undefined;
    else if (fence === undefined) out.push(l);
  }
  return out.join('\n');
}
