/** What a policy is written as: in code, JSON or YAML. Validated and resolved by `GuardrailPolicy`. */

/**
 * Which resources the guardrail could not read fail the gate: those of AI
 * services (and Terraform modules it does not expand), all of them, or none.
 * Every report lists them either way.
 */
export const NOT_INSPECTED_MODES = ['ai-services', 'all', 'none'] as const;
export type NotInspectedMode = (typeof NOT_INSPECTED_MODES)[number];

export const DATA_CLASSIFICATIONS = ['public', 'internal', 'confidential', 'pii', 'phi'] as const;
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

/** Regions allowed per cloud, when a jurisdiction is too coarse. */
export interface RegionAllowList {
  /** AWS region codes, e.g. `eu-central-1`. @default - any region of the jurisdiction */
  readonly aws?: string[];
  /** Azure region names, e.g. `westeurope` or `West Europe`. @default - any region of the jurisdiction */
  readonly azure?: string[];
  /** Google Cloud locations, e.g. `europe-west4`. @default - any location of the jurisdiction */
  readonly google?: string[];
}

/** An acknowledged finding: always with a reason and an expiry date. */
export interface SuppressionSpec {
  /** The rule acknowledged, e.g. `LCG-NET-001`. Whole categories cannot be suppressed. */
  readonly ruleId: string;
  /** Logical id, Terraform address or construct path; a path may end in `/*` to cover a subtree. */
  readonly resource: string;
  /** Why the finding is acceptable: shown in every report. */
  readonly reason: string;
  /** Last day (YYYY-MM-DD) the acknowledgement holds; after it, it is itself an error. */
  readonly expires: string;
}

/** What central logging may provide: for AWS accounts and regions, and (`data-access-audit-logs`) for Google Cloud projects. */
export const CENTRAL_LOGGING_KINDS = ['invocation-logging', 'trail', 'zero-data-retention', 'data-access-audit-logs'] as const;
/** What central logging may provide for AWS accounts; the rest is for Google Cloud projects. */
export const AWS_CENTRAL_LOGGING_KINDS: readonly CentralLoggingKind[] = ['invocation-logging', 'trail', 'zero-data-retention'];
export type CentralLoggingKind = (typeof CENTRAL_LOGGING_KINDS)[number];

/**
 * Logging provided outside the app — an organization trail, invocation
 * logging configured from a log-archive account — for some accounts and
 * regions, with the evidence an auditor can check. The logging rules accept
 * it instead of asking the app for a second, account-wide configuration.
 */
export interface CentralLoggingSpec {
  /** AWS: the account (12 digits) whose logging is provided, or "*" for every account (an organization trail). Set this or `project`. */
  readonly account?: string;
  /** AWS: the regions covered, or ["*"] for every region. */
  readonly regions?: string[];
  /**
   * Google Cloud: the project whose Data Access audit logs are turned on outside this configuration (an organization
   * or folder audit config in a landing-zone repository), or "*" for every project. Set this or `account`.
   */
  readonly project?: string;
  /**
   * What is provided: for an account, "invocation-logging", "trail", "zero-data-retention" (the account's Bedrock data
   * retention mode is none); for a project, "data-access-audit-logs".
   */
  readonly provides: CentralLoggingKind[];
  /** Where an auditor finds the proof: a ticket, a landing-zone document, the log-archive account. */
  readonly evidence: string;
}

/**
 * A policy as written in code, JSON or YAML. Every field is optional when
 * `extends` names a preset; the preset supplies the rest.
 */
export interface PolicySpec {
  /** A preset to start from: `eu`, `us-hipaa` or `soc2`. @default - no preset */
  readonly extends?: string;
  /** Name shown in reports. @default - the preset's name, or "custom" */
  readonly name?: string;
  /** Where data may be processed and stored: `EU`, `EEA`, `US`, `UK`, `CH`, `CA`, `JP`, `AU`, … or `none`. @default - no residency constraint */
  readonly jurisdiction?: string;
  /** Explicit region allow-lists per cloud; must lie inside the jurisdiction when both are set. @default - every region of the jurisdiction */
  readonly regions?: RegionAllowList;
  /** Classification of the workload's data: public, internal, confidential, pii or phi. @default "internal" */
  readonly dataClassification?: string;
  /** Frameworks in force: hipaa, soc2, gdpr, eu-ai-act. @default [] */
  readonly frameworks?: string[];
  /** Minimum days audit logs are kept; at least the strictest framework minimum. @default - strictest framework minimum */
  readonly minAuditLogRetentionDays?: number;
  /** Maximum days logs holding prompt/response content are kept ("never expire" breaks it). @default - no maximum (required when GDPR is in force) */
  readonly maxContentLogRetentionDays?: number;
  /** Whether log stores, keys and endpoints must use customer-managed keys. @default false */
  readonly requireCustomerManagedKeys?: boolean;
  /** Whether model endpoints must be reached only over private network paths. @default false */
  readonly requirePrivateNetwork?: boolean;
  /** Whether every account and region the app invokes Bedrock in must keep no prompt or output (data retention mode none). @default false */
  readonly requireZeroDataRetention?: boolean;
  /** The legal basis for processing personal data, shown on PII/PHI hops of the data-flow documentation. @default - none declared */
  readonly legalBasis?: string;
  /** Whether a HIPAA business associate agreement covers the model providers. @default false */
  readonly businessAssociateAgreement?: boolean;
  /**
   * Which resources the guardrail could not read are errors (LCG-COV-001):
   * `ai-services` (AI services, and modules it does not expand), `all`, or `none`.
   * Every report lists them either way.
   * @default "ai-services"
   */
  readonly notInspected?: string;
  /**
   * An inference-profile catalog read from the account (`llm-guardrail catalog refresh aws`), relative to the
   * policy file: its geographies are used before the built-in ones. @default - the built-in catalog
   */
  readonly inferenceProfileCatalog?: string;
  /**
   * A declarations file of the external LLM providers the app calls, relative to the policy file; the gates and
   * `llm-guardrail check` judge its declarations with the app's. @default - none
   */
  readonly providers?: string;
  /** Logging provided outside the app (a central logging account), per account and region. @default [] */
  readonly centralLogging?: CentralLoggingSpec[];
  /** Acknowledged findings. @default [] */
  readonly suppressions?: SuppressionSpec[];
}

