/** What `pcsync doctor` found. Plain data; the text is a pure rendering of it. */
export interface DoctorReport {
  /** Configuration lines: what is set (variable names and ids, never a secret). */
  readonly config: readonly Check[];
  /** Sign-in and one cheap read per configured mode. */
  readonly checks: readonly Check[];
  /** Which credential pcsync uses for each kind of operation, and whether it works. */
  readonly operations: readonly OperationAccess[];
  /** For each configured credential, whether it can buy. */
  readonly buying: readonly BuyingPower[];
  /** True when every check passed and App+User access works (plan and apply need it). */
  readonly ok: boolean;
}

export interface Check {
  readonly title: string;
  /** `skip`: not tried, because something before it failed or there was nothing to try it on. */
  readonly status: 'ok' | 'fail' | 'skip';
  readonly detail: string;
  /** What to do when it failed. */
  readonly fix?: string;
}

export type ModeResult = 'works' | 'fails' | 'not-configured' | 'not-allowed' | 'untested';

export interface OperationAccess {
  readonly operation: string;
  /** The mode pcsync picks for it with the current configuration, if any. */
  readonly uses?: 'app+user' | 'app';
  readonly appUser: ModeResult;
  readonly app: ModeResult;
  /** Doctor never writes: write operations are judged by the read with the same token. */
  readonly write: boolean;
}

/** Whether one configured credential can buy (carts, orders, subscription changes). */
export interface BuyingPower {
  /** `app-only (PARTNER_CENTER_CLIENT_SECRET)`, `App+User (PARTNER_CENTER_REFRESH_TOKEN)`, … */
  readonly credential: string;
  /** `unknown`: depends on something pcsync cannot read (the signed-in user's Partner Center role). */
  readonly canBuy: 'yes' | 'no' | 'unknown';
  readonly why: string;
  /** Set when holding it here is a mistake (a pull-request run): doctor then fails. */
  readonly problem?: string;
}
