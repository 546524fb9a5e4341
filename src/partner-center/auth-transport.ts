import { AppUserRequiredError } from './auth-errors.js';
import { ApiError } from './errors.js';
import { Transport, type HttpRequest, type HttpResponse } from './http.js';

/**
 * The Transport, plus one translation: an App+User endpoint refused because the token was app-only becomes an
 * `AppUserRequiredError` that names the missing credential. Partner Center has no distinct error code for this
 * (a 403 whose description says application credentials cannot access the resource), so the description
 * decides — the one place pcsync reads server text.
 */
export class AuthAwareTransport extends Transport {
  override async send(req: HttpRequest): Promise<HttpResponse> {
    try {
      return await super.send(req);
    } catch (err) {
      throw explainAuthFailure(req, err);
    }
  }
}

export function explainAuthFailure(req: HttpRequest, err: unknown): unknown {
  const operation = `${req.method} ${req.path.split('?')[0]}`;
  if (err instanceof AppUserRequiredError) return err.withOperation(operation);
  if ((req.auth ?? 'app+user') !== 'app+user' || !(err instanceof ApiError) || err.status !== 403) return err;
  if (!/application credentials/i.test(err.description)) return err;
  return new AppUserRequiredError(operation, `HTTP 403${err.code !== undefined ? `, code ${err.code}` : ''}`);
}
