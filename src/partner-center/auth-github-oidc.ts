import { AuthFailedError } from './auth-errors.js';
import { AUTH_ENV, type AuthSettings } from './auth-config.js';

/** The audience Entra ID expects in a federated credential's token (the default of a GitHub federated credential). */
export const ENTRA_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/**
 * Requests the GitHub Actions runner's OIDC token (a JWT signed by https://token.actions.githubusercontent.com,
 * subject e.g. `repo:<owner>/<repo>:environment:partner-center`) for Entra ID's token exchange audience. msal
 * sends it as the client assertion: the app signs in without a stored secret. A new one per sign-in (they live
 * minutes). Errors name the variables, never the request token.
 */
export async function githubOidcToken(f: NonNullable<AuthSettings['federation']>): Promise<string> {
  const url = new URL(f.requestUrl);
  url.searchParams.set('audience', ENTRA_TOKEN_EXCHANGE_AUDIENCE);
  let res: Response;
  try {
    res = await fetch(url, { headers: { Authorization: `Bearer ${f.requestToken}`, Accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
  } catch {
    throw new AuthFailedError('app', 'github-oidc', 'cannot reach the GitHub Actions OIDC token endpoint', 'run pcsync in a GitHub Actions job with `permissions: id-token: write`');
  }
  const body = (await res.json().catch(() => undefined)) as { value?: unknown } | undefined;
  if (!res.ok || typeof body?.value !== 'string' || body.value === '') {
    throw new AuthFailedError('app', 'github-oidc', `the GitHub Actions OIDC token request was refused (HTTP ${res.status})`, `give the job \`permissions: id-token: write\`, or unset ${AUTH_ENV.clientAssertion}`);
  }
  return body.value;
}
