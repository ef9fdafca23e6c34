import type { PolicySpec } from './spec';

/**
 * Built-in policies for the common cases. `extends` in a policy file starts
 * from one of them.
 */
export const PRESETS: { readonly [name: string]: PolicySpec } = {
  /**
   * EU-resident personal data: EU member states only; GDPR, SOC 2 and the EU
   * AI Act. Audit logs a year (SOC 2); prompt/response logs at most 400 days
   * (the twelve-month observation period plus time to finish the audit).
   */
  eu: {
    jurisdiction: 'EU',
    dataClassification: 'pii',
    frameworks: ['gdpr', 'soc2', 'eu-ai-act'],
    maxContentLogRetentionDays: 400,
    requireCustomerManagedKeys: true,
    requirePrivateNetwork: false,
    legalBasis: 'GDPR Art. 6(1)(b) performance of a contract',
  },
  /** US protected health information: US regions only; HIPAA and SOC 2; six-year audit logs, private paths, customer-managed keys. */
  'us-hipaa': {
    jurisdiction: 'US',
    dataClassification: 'phi',
    frameworks: ['hipaa', 'soc2'],
    requireCustomerManagedKeys: true,
    requirePrivateNetwork: true,
    businessAssociateAgreement: true,
  },
  /** SOC 2 only: no residency constraint; audit logs a year. */
  soc2: {
    dataClassification: 'internal',
    frameworks: ['soc2'],
  },
};
