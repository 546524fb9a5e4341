/** Partner Center error codes the simulator answers with (see SPEC.md). */
export const Code = {
  notFound: 1000,
  suspending: 2001,
  quantityOutOfRange: 2002,
  subscriptionDeleted: 2011,
  staleEtag: 2055,
  notOnboardedForCountry: 2030,
  offerRetired: 2091,
  orderNotFound: 20000,
  noRelationship: 20002,
  subscriptionNotFound: 20003,
  licenceUpdateFailed: 60000,
  userNotFound: 60002,
  licencesExhausted: 60012,
  tokenMissing: 800001,
  invalidInput: 800002,
  unexpected: 800003,
  invalidOffer: 800004,
  badLineItemNumber: 800071,
  offerNotInCountry: 800070,
  subscriptionSuspended: 800091,
  roleLacksRights: 900150,
  statusNotUpdatable: 800096,
  pastCancellationWindow: 900117,
  attestationMissing: 900203,
  partnerAttestationMissing: 900206,
  offersApiNotForProducts: 2100,
  availabilityNotFound: 400018,
  productNotFound: 400013,
  cartNotFound: 800061,
} as const;

/** The ApiFault body Partner Center sends with 4xx/5xx replies. */
export interface ApiFault {
  code: number;
  description: string;
  data: string[];
  source: 'PartnerFD';
}

/** Thrown by handlers and middlewares; the fault boundary turns it into an ApiFault reply. */
export class SimFault extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly description: string,
    readonly data: string[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${code} ${description}`);
    this.name = 'SimFault';
  }

  toBody(): ApiFault {
    return { code: this.code, description: this.description, data: [...this.data], source: 'PartnerFD' };
  }
}

export function invalidInput(description: string): SimFault {
  return new SimFault(400, Code.invalidInput, description);
}
