import { requireCustomer } from './customers.js';
import { SimFault } from './faults.js';
import type { SimCustomer } from './model.js';
import type { Route } from './router.js';
import type { SimState } from './state.js';
import { collection, enc } from './wire.js';

/** True unless the customer is in option `customerAgreementMissing` (has not accepted the Microsoft Customer Agreement). */
export function acceptedAgreement(state: SimState, customerId: string): boolean {
  return !(state.options.customerAgreementMissing ?? []).some((id) => id.toLowerCase() === customerId.toLowerCase());
}

/** An order or checkout for a customer without an accepted Microsoft Customer Agreement: 403 13605. */
export function requireAgreement(state: SimState, c: SimCustomer): void {
  if (acceptedAgreement(state, c.id)) return;
  throw new SimFault(403, 13605, 'Customer has not accepted the Microsoft Customer Agreement. Please ensure the customer accepts it before placing an order.', [c.id]);
}

/**
 * GET `/v1/customers/{cid}/agreements?agreementType=MicrosoftCustomerAgreement` (learn
 * `get-confirmation-of-customer-agreement`; App+User only): the customer's confirmations of acceptance, one
 * Agreement `{ primaryContact, templateId, dateAgreed, type, agreementLink }`, or none.
 */
export const agreementRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1/customers/:customerId/agreements',
    auth: 'app+user',
    handle: (ctx, p) => {
      const c = requireCustomer(ctx, p.customerId!);
      const type = ctx.query.get('agreementType') ?? 'MicrosoftCustomerAgreement';
      const items =
        acceptedAgreement(ctx.state, c.id) && /^(MicrosoftCustomerAgreement|all)$/i.test(type)
          ? [
              {
                primaryContact: { firstName: 'Sim', lastName: 'Admin', email: `admin@${c.domain}`, phoneNumber: '' },
                templateId: '117a145e-de43-4cd4-a12d-d0d0f3a4b2a0',
                dateAgreed: '2020-01-01T00:00:00Z',
                type: 'MicrosoftCustomerAgreement',
                agreementLink: 'https://aka.ms/customer-agreement',
                attributes: { objectType: 'Agreement' },
              },
            ]
          : [];
      return { status: 200, body: collection(items, `/customers/${enc(c.id)}/agreements`) };
    },
  },
];
