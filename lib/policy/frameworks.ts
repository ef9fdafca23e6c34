/**
 * What each framework demands of LLM audit logs, with the clause it comes
 * from. Minimums combine by taking the strictest.
 */

export const FRAMEWORKS = ['hipaa', 'soc2', 'gdpr', 'eu-ai-act'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface FrameworkRequirement {
  readonly title: string;
  /** Minimum retention of audit logs, in days; undefined when the framework sets none. */
  readonly minAuditLogRetentionDays?: number;
  /** Whether logs holding prompt/response content must have a finite retention (storage limitation). */
  readonly requiresFiniteContentRetention: boolean;
  /** Where the minimum comes from. */
  readonly retentionBasis: string;
}

export const FRAMEWORK_REQUIREMENTS: { readonly [name in Framework]: FrameworkRequirement } = {
  hipaa: {
    title: 'HIPAA Security Rule',
    minAuditLogRetentionDays: 2190,
    requiresFiniteContentRetention: false,
    retentionBasis: 'HIPAA §164.316(b)(2)(i): documentation retained six years',
  },
  soc2: {
    title: 'SOC 2 (AICPA Trust Services Criteria)',
    minAuditLogRetentionDays: 365,
    requiresFiniteContentRetention: false,
    retentionBasis: 'SOC 2 Type II: evidence for a twelve-month observation period (CC7.2, CC4.1)',
  },
  gdpr: {
    title: 'EU General Data Protection Regulation',
    requiresFiniteContentRetention: true,
    retentionBasis: 'GDPR Art. 5(1)(e): storage limitation',
  },
  'eu-ai-act': {
    title: 'EU Artificial Intelligence Act',
    minAuditLogRetentionDays: 183,
    requiresFiniteContentRetention: false,
    retentionBasis: 'EU AI Act Art. 19(1) and Art. 26(6): automatically generated logs kept at least six months',
  },
};

/** Framework clauses a rule serves, shown in findings, SARIF and RULES.md. */
export interface FrameworkClause {
  readonly framework: Framework;
  readonly clause: string;
}

export const CLAUSES = {
  hipaaAuditControls: { framework: 'hipaa', clause: '§164.312(b) audit controls' },
  hipaaRetention: { framework: 'hipaa', clause: '§164.316(b)(2)(i) six-year retention' },
  hipaaTransmission: { framework: 'hipaa', clause: '§164.312(e)(1) transmission security' },
  hipaaEncryption: { framework: 'hipaa', clause: '§164.312(a)(2)(iv) encryption and decryption' },
  hipaaAccessControl: { framework: 'hipaa', clause: '§164.312(a)(1) access control' },
  hipaaBusinessAssociates: { framework: 'hipaa', clause: '§164.502(e) and §164.504(e) business associate contracts' },
  soc2Monitoring: { framework: 'soc2', clause: 'CC7.2 system monitoring' },
  soc2LogicalAccess: { framework: 'soc2', clause: 'CC6.1 logical access' },
  soc2Boundaries: { framework: 'soc2', clause: 'CC6.6 system boundaries' },
  soc2Encryption: { framework: 'soc2', clause: 'CC6.7 data in transit and at rest' },
  soc2Evidence: { framework: 'soc2', clause: 'CC4.1 monitoring activities (evidence over the observation period)' },
  soc2Confidentiality: { framework: 'soc2', clause: 'C1.1 confidential information is protected' },
  soc2VendorManagement: { framework: 'soc2', clause: 'CC9.2 vendor and business partner risk' },
  gdprTransfers: { framework: 'gdpr', clause: 'Chapter V (Art. 44-49) transfers to third countries' },
  gdprStorageLimitation: { framework: 'gdpr', clause: 'Art. 5(1)(e) storage limitation' },
  gdprSecurity: { framework: 'gdpr', clause: 'Art. 32 security of processing' },
  gdprAccountability: { framework: 'gdpr', clause: 'Art. 5(2) accountability, Art. 30 records of processing' },
  gdprPurposeLimitation: { framework: 'gdpr', clause: 'Art. 5(1)(b) purpose limitation' },
  gdprProcessors: { framework: 'gdpr', clause: 'Art. 28 processors (contract, sufficient guarantees)' },
  aiActRecordKeeping: { framework: 'eu-ai-act', clause: 'Art. 12 record-keeping' },
  aiActLogRetention: { framework: 'eu-ai-act', clause: 'Art. 19 and Art. 26(6) log retention (at least six months)' },
} as const satisfies { [name: string]: FrameworkClause };
