import type { Env } from '../core/env.js';
import { tuningFromEnv } from '../partner-center/tuning.js';
import { heapMode } from './heap.js';
import { pollingFromEnv } from './polling.js';

/**
 * Every environment variable pcsync reads, in the order `pcsync --help` lists them, with a short meaning. The
 * README's configuration table lists the same names (test/cli-environment-values.test.ts checks both against the
 * variables the code reads). The numeric and choice variables are checked by `checkEnvironment`.
 */
export const ENVIRONMENT: readonly (readonly [names: string, meaning: string])[] = [
  ['PARTNER_CENTER_ENDPOINT', 'API base URL (default https://api.partnercenter.microsoft.com; plain http:// only for loopback, e.g. the simulator)'],
  ['PARTNER_CENTER_TOKEN', 'pre-obtained App+User access token (never written anywhere)'],
  ['PARTNER_CENTER_TENANT_ID, PARTNER_CENTER_CLIENT_ID', 'partner tenant and the app registered in Partner Center (for msal sign-in)'],
  ['PARTNER_CENTER_REFRESH_TOKEN', 'App+User via msal (needed for users and licences)'],
  ['PARTNER_CENTER_CLIENT_SECRET', 'app-only via msal where Partner Center allows it'],
  ['PARTNER_CENTER_CLIENT_ASSERTION', "github-oidc: in GitHub Actions (permissions: id-token: write) the app authenticates with the runner's OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN), no secret"],
  ['PARTNER_CENTER_AUTHORITY', 'sign-in host (default https://login.microsoftonline.com)'],
  ['PARTNER_CENTER_AUTHORITY_CA', 'CA file trusted for a loopback authority only (the simulator)'],
  ['PARTNER_CENTER_PRICES_TOKEN', 'prices.priceSheet: App+User token for https://api.partner.microsoft.com (else the refresh token is exchanged for that audience)'],
  ['PARTNER_CENTER_PRICES_ENDPOINT', 'price sheet host (default https://api.partner.microsoft.com, or PARTNER_CENTER_ENDPOINT when that names another service such as the simulator)'],
  ['PARTNER_CENTER_GRAPH_TOKEN', "GDAP pre-check: token for https://graph.microsoft.com in the partner tenant (DelegatedAdminRelationship.Read.All, and the signed-in user's group memberships, e.g. GroupMember.Read.All; else the refresh token is exchanged for that audience)"],
  ['PARTNER_CENTER_GRAPH_ENDPOINT', "Microsoft Graph host (default https://graph.microsoft.com; Partner Center's endpoint when that is not the production one, e.g. the simulator)"],
  ['PCSYNC_NOW', 'fixed "now" for report, import and undo: ISO 8601, a date (midnight UTC) or a time with its zone (2026-03-01T09:30:00Z)'],
  ['PCSYNC_RATE_PER_MINUTE', 'requests/minute of the documented throttled APIs for the partner: 0 (none) or 1 to 1000000 (default 500; none for loopback unless set)'],
  ['PCSYNC_CUSTOMER_RATE_PER_MINUTE', 'the same per customer (default: the partner rate)'],
  ['PCSYNC_ADAPTIVE_RATE_PER_MINUTE', 'start rate of every other API: 0 (none) or 1 to 1000000 (default 2 × PCSYNC_RATE_PER_MINUTE)'],
  ['PCSYNC_ADAPTIVE_MAX_PER_MINUTE', 'highest rate those grow to without a 429: at least their start rate, up to 1000000 (default 8 × the start)'],
  ['PCSYNC_LIMITER', 'per-class (default) or single (every call under PCSYNC_RATE_PER_MINUTE, for the benchmark)'],
  ['PCSYNC_MAX_RETRIES', 'retries of a throttled or failed read: 0 to 100 (default 6)'],
  ['PCSYNC_RETRY_BASE_MS', 'first backoff after a 5xx, timeout or dropped connection: 0 to 30000 ms (default 500)'],
  ['PCSYNC_TIMEOUT_MS', 'how long one request may take: 1 to 2147483647 ms (default 60000)'],
  ['PCSYNC_FRESH_READ_MS', "how old a subscription or order list read earlier in the run a purchase's foreign-order check or a suspend's PATCH may rely on: 0 (always read again) to 3600000 ms (default 60000)"],
  ['PCSYNC_POLL_MS, PCSYNC_MAX_POLL_MS', 'first and longest wait between await-provisioning checks, also of the 3 consumed-unit re-checks and of 202-accepted changes: 1 to 2147483647 ms, the longest at least the first (default 1000 … 30000)'],
  ['PCSYNC_CHANGE_TIMEOUT_MS', 'longest wait for a subscription change answered 202 Accepted: 0 to 2147483647 ms (default 300000)'],
  ['PCSYNC_HEAP', "small (default: V8 grows the heap conservatively) or default (Node's own heap sizing)"],
  ['PCSYNC_STATE_DIR', "apply's journal and customer locks (default .pcsync in the working directory)"],
  ['NO_COLOR, FORCE_COLOR, TERM, CI', 'colour and progress: NO_COLOR or TERM=dumb turn colour off, FORCE_COLOR=1 on when piped; CI means no live progress view'],
  ['GITHUB_ACTIONS, GITHUB_STEP_SUMMARY, GITHUB_EVENT_NAME', 'set by GitHub Actions: validate writes annotations, plan and apply write the job summary; doctor fails a pull_request run that holds a credential that can buy'],
  ['GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_API_URL, GITHUB_TOKEN', "set by GitHub Actions (GITHUB_TOKEN passed in, actions: read): a customer lock records its run, and apply releases a cached lock whose run GitHub shows is over"],
];

/**
 * Checks every numeric and choice variable at once, before a command runs: a bad value is a UserError naming
 * the variable, its value and what it accepts, and nothing is sent (the same treatment as a problem in the YAML).
 * The endpoint only decides defaults, which are not checked.
 */
export function checkEnvironment(env: Env): void {
  tuningFromEnv(env, 'https://api.partnercenter.microsoft.com');
  pollingFromEnv(env);
  heapMode(env);
}

/** The "Environment:" part of `pcsync --help`: every variable of `ENVIRONMENT`, wrapped at `width` columns. */
export function environmentHelp(width = 110): string {
  const NAME = 32;
  const lines = ['Environment (empty counts as unset; a bad value stops pcsync before it sends anything):'];
  for (const [names, meaning] of ENVIRONMENT) {
    const first = names.length <= NAME ? `  ${names.padEnd(NAME)} ` : undefined;
    if (!first) lines.push(`  ${names}`);
    let current = first ?? ' '.repeat(NAME + 3);
    for (const word of meaning.split(' ')) {
      if (current.trim() !== '' && current.length + word.length > width) {
        lines.push(current.trimEnd());
        current = ' '.repeat(NAME + 3);
      }
      current += `${word} `;
    }
    lines.push(current.trimEnd());
  }
  return `${lines.join('\n')}\n  Run pcsync doctor to check them.`;
}
