import type { PolicySpec } from './spec';

/**
 * Built-in policies for the common cases. `extends` in a policy file starts
 * from one of them. Each asks for what its frameworks require, and
 * {@link PRESET_BASIS} says why: a choice no framework requires (customer-
 * managed keys, private network paths) is a warning until a policy asks for
 * it (`requireCustomerManagedKeys: true`, `requirePrivateNetwork: true`).
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
    requireCustomerManagedKeys: false,
    requirePrivateNetwork: false,
    legalBasis: 'GDPR Art. 6(1)(b) performance of a contract',
  },
  /** US protected health information: US regions only; HIPAA and SOC 2; six-year audit logs; a BAA for every service that receives PHI. */
  'us-hipaa': {
    jurisdiction: 'US',
    dataClassification: 'phi',
    frameworks: ['hipaa', 'soc2'],
    requireCustomerManagedKeys: false,
    requirePrivateNetwork: false,
    businessAssociateAgreement: true,
  },
  /** SOC 2 only: no residency constraint; audit logs a year. */
  soc2: {
    dataClassification: 'internal',
    frameworks: ['soc2'],
  },
};

/** Why a preset sets what it sets: the clause (or the choice) behind each requirement, for RULES.md and reviewers. */
export const PRESET_BASIS: { readonly [name: string]: { readonly [setting: string]: string } } = {
  eu: {
    jurisdiction: 'The EU is the choice this preset makes for personal data: GDPR Chapter V (Art. 44-49) restricts transfers to third countries, and processing inside the EU needs no transfer mechanism.',
    dataClassification: 'Prompts of an EU workload are assumed to hold personal data (GDPR Art. 4(1)).',
    minAuditLogRetentionDays: 'SOC 2 CC4.1 and CC7.2: evidence across a twelve-month observation period (365 days); the EU AI Act Art. 19 and Art. 26(6) ask for at least six months.',
    maxContentLogRetentionDays: 'GDPR Art. 5(1)(e) storage limitation: prompts and responses are kept no longer than needed; 400 days covers the SOC 2 observation period and the audit that follows.',
    requireCustomerManagedKeys: 'Not required: GDPR Art. 32, SOC 2 CC6.7 and the EU AI Act ask for appropriate encryption at rest, which provider-managed keys give. Key-management findings are warnings; set it to true to make them errors.',
    requirePrivateNetwork: 'Not required: encryption in transit (TLS) meets GDPR Art. 32 and SOC 2 CC6.6/CC6.7. Public endpoint findings are warnings; set it to true to make them errors.',
    legalBasis: 'GDPR Art. 6(1): every processing needs a legal basis, recorded in the data-flow documentation (Art. 30).',
    frameworks: 'GDPR, SOC 2 and the EU AI Act: the frameworks an EU workload answers to; each rule names the clauses it serves.',
  },
  'us-hipaa': {
    jurisdiction: 'The US is the choice this preset makes for PHI; HIPAA itself does not restrict where ePHI is processed, but a BAA and US-only processing is what most covered entities contract for.',
    dataClassification: 'Prompts are assumed to hold protected health information (45 CFR §160.103).',
    minAuditLogRetentionDays: 'HIPAA §164.316(b)(2)(i): documentation kept six years (2,190 days); audit records under §164.312(b) are kept with it.',
    businessAssociateAgreement: 'HIPAA §164.502(e) and §164.504(e): PHI goes only to a business associate under a BAA, for the services the BAA covers.',
    requireCustomerManagedKeys: 'Not required: encryption at rest is an addressable specification (§164.312(a)(2)(iv)) that provider-managed keys meet. Key-management findings are warnings; set it to true to make them errors.',
    requirePrivateNetwork: 'Not required: transmission security (§164.312(e)(1)) is met by encryption in transit (§164.312(e)(2)(ii), TLS). Public endpoint findings are warnings; set it to true to make them errors.',
    frameworks: 'HIPAA Security Rule and SOC 2. HIPAA §164.312(a)(2)(i) unique user identification makes shared API keys (key authentication on model endpoints) errors under this preset.',
  },
  soc2: {
    frameworks: 'SOC 2 only: no residency constraint and no content retention maximum.',
    minAuditLogRetentionDays: 'SOC 2 CC4.1 and CC7.2: evidence across a twelve-month observation period (365 days).',
    dataClassification: 'Internal data by default.',
  },
};
