/**
 * Every documented Partner Center error code pcsync can meet, with who must act on it: one table, so each
 * refusal says whether to wait and run again, which person must do what (role, consent, agreement), or that it
 * is a pcsync bug. Sources, by code: API reference §4/§5/§7/§8/§9 (Learn error table), partner-center-2026.md
 * §1/§2 (GDAP, MFA, new commerce, [2nd] where marked there), partner-center-2026-12.md §1 (900150, 900308,
 * 900329: "missing rights", who acts: the partner admin) and §6 (800089, 900421, 20002, 900117, 60000).
 */

/** What a later run can expect of the same request. */
export type FailureKind = 'transient' | 'ambiguous' | 'terminal';

/** Who must act: nobody (`retry`: run again later), a `person` (named in `who`), or pcsync itself (`bug`). */
export type Actor = 'retry' | 'person' | 'bug';

/** A documented Partner Center error code and what it means for a partner. */
export interface KnownCode {
  /** Closed vocabulary code reacts to (never the text). */
  readonly name: string;
  readonly message: string;
  readonly actor: Actor;
  /** For `person`: who must act, e.g. `the partner admin`, `the customer`. */
  readonly who?: string;
  /** What to do (for `person`: what that person does). */
  readonly hint: string;
  /** Overrides the status-based failure kind: what a later run can expect. */
  readonly failure?: FailureKind;
}

/**
 * How to get an MFA-compliant App+User token (partner-center-2026.md §1: since 2026-04-01 App+User calls without
 * an MFA claim get 401 / 900421): the refresh token must come from a sign-in that used MFA.
 */
export const MFA_RECONSENT =
  'sign in again as the partner admin WITH multi-factor authentication and consent to the app (Secure Application Model: ' +
  'the authorization-code flow, e.g. New-PartnerAccessToken -UseAuthorizationCode), then store the new refresh token in PARTNER_CENTER_REFRESH_TOKEN; ' +
  'app-only calls are not affected';

/** The roles Partner Center accepts for `licenseupdates` (learn `assign-licenses-to-a-user`; 2026-12 §1 (c)). */
export const LICENCE_WRITE_ROLES = 'License Administrator, User Administrator or Directory Writers';

const PARTNER_ADMIN = 'the partner admin';
const AUTHOR = 'whoever edits the desired state';
const OPERATOR = 'whoever configures pcsync (CI secrets)';
const ADMIN_AGENT = 'a partner Admin agent';
const CUSTOMER = 'the customer';
const SUPPORT = 'the partner, with Microsoft support';
const REPORT = 'please report it with the request id';

const retry = (name: string, message: string, hint: string, failure: FailureKind = 'transient'): KnownCode => ({ name, message, actor: 'retry', hint, failure });
const person = (name: string, who: string, message: string, hint: string, failure: FailureKind = 'terminal'): KnownCode => ({ name, message, actor: 'person', who, hint, failure });
const bug = (name: string, message: string): KnownCode => ({ name, message, actor: 'bug', hint: `pcsync sent something Partner Center does not accept; ${REPORT}`, failure: 'terminal' });

const missingRights = `add the signed-in partner user to Admin agents in Partner Center and, for users and licences, to a security group whose active GDAP access assignment for this customer holds ${LICENCE_WRITE_ROLES} (Directory Readers for reads only)`;

/** The table, by code. */
export const KNOWN_CODES: Readonly<Record<number, KnownCode>> = {
  // --- retry: nothing is wrong that a person must fix; a later run may succeed -------------------------------
  900278: retry('pending-operation', 'another operation on this customer or subscription is still pending', 'Partner Center says to retry in up to 24 hours; run apply again later'),
  400018: retry('availability-not-found', 'the product availability is no longer offered (availabilities are reissued)', 'run apply again: pcsync reads the current availability just before buying'),
  2055: retry('stale-etag', 'the subscription changed in Partner Center after pcsync read it (stale etag)', 'someone else edited it meanwhile; run pcsync plan again and review the new plan'),
  20000: retry('not-found-yet', 'the new order or its subscription is not visible yet (still provisioning)', 'new orders can take minutes to appear; run apply again later — it will not buy a second time'),
  20003: retry('subscription-not-found', 'the subscription does not exist', 'run pcsync plan again: the plan names a subscription Partner Center no longer has', 'terminal'),
  2001: retry('suspending', 'the quantity cannot change while the subscription is being suspended', 'wait until the suspension has finished, then run apply again'),
  60002: retry('user-not-found', 'the user does not exist in the customer tenant', 'run pcsync plan again (the user was deleted meanwhile)', 'terminal'),
  800003: retry('server-error', 'Partner Center had an unexpected error', 'try again later'),
  800005: retry('server-error', 'Partner Center could not create the order', 'run pcsync plan to see whether the order exists before applying again', 'ambiguous'),
  800014: retry('pending-operation', 'an adjustment of this order is still pending', 'run apply again later'),
  800060: retry('pending-operation', 'an order for this customer is still in progress', 'run apply again later'),
  800064: retry('pending-operation', 'the cart is being processed by another request', 'run apply again later'),
  800081: retry('not-active-yet', 'the subscription is not active yet, so it cannot be updated', 'run apply again once it is provisioned'),
  800082: retry('not-active-yet', 'the subscription is not ready to be updated', 'run apply again later'),
  800094: retry('server-error', 'Partner Center failed to update the subscription', 'run pcsync plan to see the live state, then apply again', 'ambiguous'),
  900311: retry('too-many-updates', 'the subscription was updated too many times', 'run apply again tomorrow'),
  // --- a person must act: the same request fails until someone changes something ------------------------------
  800001: person('token-missing', OPERATOR, 'Partner Center did not accept the access token', 'set a valid token (PARTNER_CENTER_TOKEN) or valid msal variables; pcsync doctor checks them'),
  900420: person('token-audience-retired', OPERATOR, 'the token is for a retired audience (Azure AD Graph)', 'use a token for https://api.partnercenter.microsoft.com (PARTNER_CENTER_TOKEN), or let pcsync get one from PARTNER_CENTER_REFRESH_TOKEN'),
  900421: person('mfa-required', PARTNER_ADMIN, 'Partner Center requires multi-factor authentication for App+User calls, and the token has no MFA claim', MFA_RECONSENT),
  900150: person('role-lacks-rights', PARTNER_ADMIN, "the signed-in partner user's role does not allow this operation", missingRights),
  900308: person('role-lacks-rights', PARTNER_ADMIN, 'the signed-in partner user has no GDAP role for this operation on this customer (insufficient privileges)', missingRights),
  900329: person('app-only-refused', OPERATOR, 'this operation does not accept app-only credentials', 'set PARTNER_CENTER_REFRESH_TOKEN (with PARTNER_CENTER_TENANT_ID and PARTNER_CENTER_CLIENT_ID) for App+User calls'),
  900309: person('conditional-access', PARTNER_ADMIN, 'a Conditional Access policy blocked the sign-in', "exempt pcsync's app and user from the policy in the partner tenant, or meet it (e.g. a compliant location)"),
  900316: person('app-only-refused', OPERATOR, 'licence management needs an App+User token', 'set PARTNER_CENTER_REFRESH_TOKEN for App+User calls'),
  20002: person('no-relationship', PARTNER_ADMIN, 'the partner has no commerce relationship with this customer', 'check customer.id in the desired-state file; if it is right, the reseller relationship has ended: send the customer a new relationship request and have them accept it'),
  60003: person('tenant-not-found', AUTHOR, 'the customer tenant does not exist', 'check customer.id in the desired-state file'),
  2030: person('country-not-onboarded', PARTNER_ADMIN, 'the partner is not set up to sell in this country', 'check country in pcsync.yaml, or enrol the partner for that market in Partner Center'),
  13605: person('customer-agreement-missing', CUSTOMER, 'the customer has not accepted the Microsoft Customer Agreement', 'have the customer accept it (Partner Center → customer → Account, or the acceptance link the partner sends), then run apply again'),
  900124: person('partner-agreement-missing', 'the partner\'s global admin', 'the partner has not accepted the Microsoft Partner Agreement', 'accept it in Partner Center (Settings → Legal info), then run apply again'),
  800070: person('not-sold-in-country', AUTHOR, "the product is not sold in the customer's country", 'pick an offer sold in that market'),
  2085: person('not-eligible', ADMIN_AGENT, 'this customer is not eligible to buy the offer', "check the customer's eligibility (e.g. segment, qualifications) in Partner Center, or pick another offer"),
  800020: person('not-eligible', ADMIN_AGENT, 'this customer is not eligible to buy the offer', "check the customer's eligibility (e.g. segment, qualifications) in Partner Center, or pick another offer"),
  2006: person('not-updatable', ADMIN_AGENT, 'this offer\'s subscriptions cannot be changed through the API', 'make the change in Partner Center'),
  2091: person('offer-retired', AUTHOR, 'the offer is no longer available for purchase', 'choose a replacement offer in the desired state'),
  400013: person('offer-retired', AUTHOR, 'the product or SKU is not in the catalogue', 'choose an offer the catalogue sells in the desired state'),
  800004: person('invalid-offer', AUTHOR, 'the offer id is not valid', 'check the offer in the desired state'),
  2002: person('quantity-out-of-range', AUTHOR, "the quantity is outside the offer's minimum/maximum", 'pick a quantity the offer allows'),
  800017: person('quantity-out-of-range', AUTHOR, 'the quantity asked for is not available', 'pick a smaller quantity'),
  800067: person('quantity-out-of-range', AUTHOR, 'the seat count is over the maximum per subscription', 'lower the quantity, or split it over two subscriptions'),
  800088: person('quantity-out-of-range', AUTHOR, 'the seat count is over the limit per subscription for this catalogue item', 'lower the quantity, or split it over two subscriptions'),
  800066: person('asset-limit', SUPPORT, 'the customer has too many subscriptions', 'consolidate subscriptions, or ask Microsoft support to raise the limit'),
  800089: person('asset-limit', SUPPORT, 'the order exceeds the number of assets allowed per customer', 'consolidate subscriptions, or ask Microsoft support to raise the limit'),
  900419: person('asset-limit', SUPPORT, "the customer tenant's subscription limit is reached", 'consolidate subscriptions, or ask Microsoft support to raise the limit'),
  900416: person('customer-locked', CUSTOMER, 'the customer account is locked', 'the customer (or the partner, for a credit hold) resolves it with Microsoft; then run apply again'),
  800075: person('customer-locked', ADMIN_AGENT, 'the customer account is not approved', 'complete the customer\'s approval in Partner Center; then run apply again'),
  800018: person('sandbox-limit', ADMIN_AGENT, 'the integration sandbox limit is reached', 'remove sandbox subscriptions, or test against the simulator'),
  60012: person('out-of-licences', AUTHOR, 'the subscription has no licences left to assign', 'buy more seats (raise quantity in the customer file, or seatHeadroom in pcsync.yaml) or free some licences, then run apply again'),
  60000: person('licence-update-failed', 'a customer admin (or the partner through GDAP)', 'the licence update failed', "read Partner Center's words: usually conflicting service plans or a licence assigned through a group; fix that user's licences in Microsoft Entra ID, then run apply again"),
  800091: person('subscription-suspended', ADMIN_AGENT, 'the subscription is suspended, so its quantity or settings cannot change', 'reactivate it in Partner Center first, or take the change out of the desired state'),
  2011: person('subscription-deleted', AUTHOR, 'the subscription is deleted and can no longer be changed', 'take it out of the desired state, or match a live subscription instead'),
  800090: person('quantity-not-lowered', AUTHOR, 'the quantity cannot be lowered now', 'keep the quantity until the term ends (pcsync never lowers one by itself)'),
  800093: person('auto-renew-not-allowed', ADMIN_AGENT, 'this subscription cannot be set to renew automatically', 'check the offer\'s renewal terms in Partner Center'),
  800095: person('not-updatable', ADMIN_AGENT, 'the seat quantity of this subscription cannot be updated', 'make the change in Partner Center'),
  800096: person('not-updatable', ADMIN_AGENT, 'the status of this subscription cannot be updated', 'make the change in Partner Center'),
  800097: person('not-updatable', ADMIN_AGENT, 'the billing cycle of this subscription cannot be updated', 'make the change in Partner Center'),
  800098: person('not-updatable', ADMIN_AGENT, 'the partner of record of this subscription cannot be updated', 'make the change in Partner Center'),
  800027: person('not-updatable', ADMIN_AGENT, 'this catalogue item does not allow adding or removing seats', 'make the change in Partner Center'),
  900117: person(
    'past-cancellation-window',
    'the reviewer',
    'the subscription is past its cancellation window',
    'it can only end at its term end (auto-renew off, cancel at term end): apply does that when the plan carried the fallback; otherwise plan again and approve status: ends-at-term',
  ),
  // --- pcsync bug: pcsync sent something it should not have -----------------------------------------------
  800002: bug('invalid-input', 'Partner Center rejected the request input'),
  800071: bug('invalid-input', 'the order line numbers are not valid'),
  800009: bug('invalid-input', 'the cart items have an error'),
  800008: bug('invalid-input', 'the cart does not exist'),
  800061: bug('invalid-input', 'the cart does not exist'),
  800065: bug('invalid-input', 'the cart was already checked out'),
  2054: bug('invalid-input', 'the billing cycle cannot change through a subscription update'),
  2100: bug('invalid-input', 'the offers API does not serve new-commerce items'),
  900203: bug('attestation-missing', 'the line attestation is missing'),
  900206: bug('attestation-missing', 'the partner-of-record attestation is missing'),
  10012: bug('attestation-missing', 'the cart line attestation was not accepted'),
};
