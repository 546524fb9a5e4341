import { AUTH_ENV, GITHUB_OIDC_ENV, hasAppOnly, type AuthSettings } from '../partner-center/auth-config.js';
import { PRICE_ENV } from '../partner-center/price-sheet.js';
import { GRAPH_ENV } from '../partner-center/graph.js';
import type { BuyingPower } from './types.js';

/** Events whose runs use the pull request's own workflow file (partner-center-2026-12.md §3): any writer controls them. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

const APP_ONLY_BUYS =
  'Partner Center takes app-only tokens for carts, orders and subscription changes ("both standalone App and App+User": ' +
  'learn create-a-cart, update-a-cart); keep it as a secret of the protected apply environment only';
const USER_MAY_BUY =
  'it acts as the consenting partner user: an Admin agent or Sales agent can buy, and a Helpdesk agent is not documented as ' +
  'read-only ("manage subscriptions … on behalf of customers"). Partner Center does not tell pcsync the user\'s roles: for a ' +
  'plan or drift job, use a Helpdesk-agent-only user and verify in the integration sandbox that its cart POST is refused (403, 900150)';

/**
 * For each configured credential, whether it can buy (create carts and orders, change subscriptions), from what the
 * references document (partner-center-2026-12.md §2): app-only yes; App+User depends on a role pcsync cannot read;
 * the price sheet token has another audience. In a pull-request run, a credential that can buy is a failure: that
 * run uses the pull request's own workflow file, so any writer could spend with it, unreviewed.
 */
export function buyingPowerOf(s: AuthSettings, env: Readonly<Record<string, string | undefined>>): BuyingPower[] {
  const out: BuyingPower[] = [];
  const inPullRequest = PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? '');
  if (hasAppOnly(s)) {
    const via = s.federation ? `GitHub OIDC federated credential, ${AUTH_ENV.clientAssertion}` : AUTH_ENV.clientSecret;
    out.push({ credential: `app-only (${via})`, canBuy: 'yes', why: APP_ONLY_BUYS, ...(inPullRequest ? { problem: 'this pull-request run holds it: any writer can edit the workflow in a pull request and spend' } : {}) });
  }
  if (s.refreshToken) out.push({ credential: `App+User (${AUTH_ENV.refreshToken})`, canBuy: 'unknown', why: USER_MAY_BUY });
  if (s.token) out.push({ credential: `App+User (${AUTH_ENV.token})`, canBuy: 'unknown', why: USER_MAY_BUY });
  // In a pull-request run, a credential that acts as a partner agent (an Admin or Sales agent's token, for another
  // audience) or could become one (the runner's OIDC token) does not belong there either, whatever it can buy.
  const agentInPullRequest = (what: string) => (inPullRequest ? { problem: `this pull-request run holds ${what}: any writer can edit the workflow in a pull request and use it unreviewed; remove it from the plan job` } : {});
  if (env[PRICE_ENV.token]?.trim()) {
    out.push({
      credential: `price sheet (${PRICE_ENV.token})`,
      canBuy: 'no',
      why: 'not through Partner Center\'s API: its audience is https://api.partner.microsoft.com, which Partner Center\'s endpoints refuse (401); its user is an Admin or Sales agent all the same, so keep it out of pull-request jobs',
      ...agentInPullRequest('an Admin or Sales agent\'s token'),
    });
  }
  if (env[GRAPH_ENV.token]?.trim()) {
    out.push({
      credential: `Microsoft Graph (${GRAPH_ENV.token})`,
      canBuy: 'no',
      why: 'not through Partner Center\'s API: its audience is https://graph.microsoft.com; it acts as a partner agent in Graph (DelegatedAdminRelationship.Read.All and whatever else it was consented), so keep it out of pull-request jobs',
      ...agentInPullRequest('a partner agent\'s Graph token'),
    });
  }
  const oidc = [GITHUB_OIDC_ENV.url, GITHUB_OIDC_ENV.token].filter((k) => env[k]?.trim());
  if (oidc.length > 0 && (!s.federation || inPullRequest)) {
    out.push({
      credential: `GitHub OIDC (${oidc.join(', ')}: this job has id-token: write)`,
      canBuy: 'unknown',
      why: 'if the app has a federated credential whose subject matches this job, the runner\'s OIDC token is an app-only credential that can buy; grant id-token: write to the apply job only',
      ...(inPullRequest ? { problem: 'this pull-request run can request an OIDC token (id-token: write): with a federated credential whose subject matches, that is an app-only credential that buys; remove id-token: write from the plan job' } : {}),
    });
  }
  return out;
}
