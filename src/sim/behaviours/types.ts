/**
 * Switchable behaviours of the simulator that make it answer like a busy, imperfect Partner Center.
 * All are off by default; `startSim({ options })` turns them on per test or scenario (see SPEC.md).
 */
export interface BehaviourOptions {
  /** Token-bucket throttling with 429 + Retry-After, per partner and per customer. */
  throttle?: ThrottleOptions;
  /** Injected 5xx replies, before the request is processed (nothing changes). */
  serverErrors?: FaultRule & { status?: 500 | 502 | 503 | 504 };
  /** Replies held back before processing. */
  slowReplies?: FaultRule & { ms: number };
  /** Connections destroyed before processing, without a reply. */
  dropConnections?: FaultRule;
  /** 3xx replies with a `Location` and no body, instead of processing the request. */
  redirects?: FaultRule & { status?: 301 | 302 | 303 | 307 | 308; location?: string };
  /** Replies with a success status (default 200) and no body at all. */
  emptyReplies?: FaultRule & { status?: number };
  /** A gateway error (default 502) whose description repeats the request headers, `Authorization` included. */
  echoHeaders?: FaultRule & { status?: number };
  /** Reshaped reply bodies: BOM, PascalCase property names, values pcsync does not know. */
  replies?: ReplyOptions;
  /** Seed for `rate`-based faults (default 1): the same seed and requests give the same faults. */
  seed?: number;
}

export interface ThrottleOptions {
  /** Requests per minute per partner on the documented throttled list. Default 500 (the published limit). */
  perMinute?: number;
  /** Hidden partner-wide limit on every other API (requests per minute). Default none: they are not throttled. */
  otherPerMinute?: number;
  /** Bucket size of the hidden limit. Default a tenth of `otherPerMinute`, at least 1. */
  otherBurst?: number;
  /** `documented` (default): only the listed APIs share the published buckets; `all`: every request does. */
  classes?: 'documented' | 'all';
  /** Requests per minute per customer (requests whose path names one). Default `perMinute`. */
  customerPerMinute?: number;
  /** Partner bucket size: requests that may arrive at once. Default a tenth of `perMinute`, at least 1. */
  burst?: number;
  /** Customer bucket size. Default a tenth of `customerPerMinute`, at least 1. */
  customerBurst?: number;
  /** How many times faster than real time the buckets refill (and Retry-After shrinks). Default 1. */
  timeScale?: number;
  /**
   * `Retry-After` form: `seconds` (whole seconds, rounded up — what Partner Center sends; default),
   * `fractional` (seconds with millisecond precision, for scaled tests), `http-date`.
   */
  retryAfter?: 'seconds' | 'fractional' | 'http-date';
  /**
   * The buckets' clock, in milliseconds (in-process simulators only). Default `Date.now`. A test passes one it
   * moves itself, so what is refused depends on the order of requests, not on how fast the machine runs them.
   */
  clock?: () => number;
}

/** Which requests a fault hits. */
export interface FaultRule {
  /**
   * Requests it applies to: `METHOD /pattern` (e.g. `GET /v1/customers/:customerId/users`), a bare pattern
   * (any method) or a bare method (`POST`). Default: every /v1 request.
   */
  match?: string[];
  /** Chance per matching request, drawn from the seeded generator. Default 1 (every one). */
  rate?: number;
  /** At most this many hits in the simulator's lifetime. Default no limit. */
  times?: number;
}

export interface ReplyOptions {
  /** Prefix every JSON reply with a UTF-8 byte order mark. */
  bom?: boolean;
  /** PascalCase property names: in every reply, or only in subscription PATCH replies (as the real suspend reply). */
  pascalCase?: 'all' | 'patch';
  /** Send subscription `status` values by subscription id (e.g. `{ "<id>": "transitioning" }`). */
  subscriptionStatus?: Record<string, string>;
  /** Send this `billingCycle` on every subscription. */
  billingCycle?: string;
  /** Send this `state` on every user. */
  userState?: string;
  /** Send this `relationshipToPartner` on every customer. */
  relationship?: string;
  /** Write date-times as `…+00:00` instead of `…Z`. */
  offsetDates?: boolean;
  /** Add these fields to every resource (fields pcsync has never heard of). */
  extraFields?: Record<string, unknown>;
  /** Successful writes (POST orders, POST licenseupdates, PATCH subscription) answer with their status but no body. */
  emptyWriteBodies?: boolean;
  /** `licenseWarnings` sent in every successful licence update reply (a partly applied update, API reference §7). */
  licenseWarnings?: { code: string; message: string; servicePlans?: string[] }[];
  /** A new order's reply (POST orders) says `status: "pending"` and its line items do not name their subscription yet. */
  pendingOrders?: boolean;
}
