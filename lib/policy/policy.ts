import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../core/errors';
import { isKnownLocation, jurisdictionCodes, locationInJurisdiction, normalizeLocation, readInferenceProfileCatalog } from '../catalogs';
import { FRAMEWORKS, FRAMEWORK_REQUIREMENTS, Framework } from './frameworks';
import { readPolicyFile } from './policy-file';
import { PRESETS } from './presets';
import { RULE_ID_PATTERN, SCHEMA_KEY } from './schema';
import { AWS_CENTRAL_LOGGING_KINDS, CENTRAL_LOGGING_KINDS, CentralLoggingKind, CentralLoggingSpec, DATA_CLASSIFICATIONS, DataClassification, NOT_INSPECTED_MODES, NotInspectedMode, PolicySpec, RegionAllowList, SuppressionSpec } from './spec';

export { DATA_CLASSIFICATIONS, NOT_INSPECTED_MODES } from './spec';
export type { DataClassification, NotInspectedMode, PolicySpec, RegionAllowList, SuppressionSpec } from './spec';

/** The keys a policy may have, in the order messages list them (`$schema` names the file's schema for editors and is ignored). */
export const SPEC_KEYS: readonly (keyof PolicySpec | typeof SCHEMA_KEY)[] = [
  'extends',
  'name',
  'jurisdiction',
  'regions',
  'dataClassification',
  'frameworks',
  'minAuditLogRetentionDays',
  'maxContentLogRetentionDays',
  'requireCustomerManagedKeys',
  'requirePrivateNetwork',
  'requireZeroDataRetention',
  'legalBasis',
  'businessAssociateAgreement',
  'notInspected',
  'centralLogging',
  'inferenceProfileCatalog',
  'providers',
  'suppressions',
  SCHEMA_KEY,
];
export const CENTRAL_LOGGING_KEYS: readonly (keyof CentralLoggingSpec)[] = ['account', 'regions', 'project', 'provides', 'evidence'];
export const SUPPRESSION_KEYS: readonly (keyof SuppressionSpec)[] = ['ruleId', 'resource', 'reason', 'expires'];
const CLOUDS = ['aws', 'azure', 'google'] as const;

/**
 * The resolved policy a workload must satisfy. Build one with
 * {@link GuardrailPolicy.preset}, {@link GuardrailPolicy.fromFile},
 * {@link GuardrailPolicy.fromSpec} or {@link GuardrailPolicy.load}.
 */
export class GuardrailPolicy {
  /** A built-in preset: `eu`, `us-hipaa` or `soc2`. */
  static preset(name: string): GuardrailPolicy {
    const spec = presetSpec(name);
    if (!spec) throw new InputError(`unknown policy preset "${name}"`, `use one of: ${Object.keys(PRESETS).join(', ')}, or a path to a .json/.yaml policy file`);
    return GuardrailPolicy.fromSpec({ ...spec, name }, `preset ${name}`);
  }

  /** A preset name or a path to a JSON/YAML policy file (relative to `baseDirectory`). */
  static load(reference: string, baseDirectory: string = process.cwd()): GuardrailPolicy {
    if (presetSpec(reference)) return GuardrailPolicy.preset(reference);
    if (/\.(json|ya?ml)$/i.test(reference) || reference.includes('/') || reference.includes(path.sep)) {
      return GuardrailPolicy.fromFile(path.resolve(baseDirectory, reference));
    }
    return GuardrailPolicy.preset(reference);
  }

  /** A JSON or YAML policy file. */
  static fromFile(file: string): GuardrailPolicy {
    return GuardrailPolicy.fromSpec(readPolicyFile(file) as PolicySpec, file);
  }

  /** A policy written in code (or parsed from a file), validated. */
  static fromSpec(spec: PolicySpec, source: string = 'policy'): GuardrailPolicy {
    return new GuardrailPolicy(validate(spec, source), source);
  }

  readonly name: string;
  /** Upper-case jurisdiction code, or undefined when residency is not constrained. */
  readonly jurisdiction?: string;
  readonly regions: RegionAllowList;
  readonly dataClassification: DataClassification;
  readonly frameworks: readonly Framework[];
  /** Minimum audit-log retention in days (0 when no framework sets one). */
  readonly minAuditLogRetentionDays: number;
  /** Which framework set the minimum (for messages). */
  readonly minAuditLogRetentionBasis: string;
  readonly maxContentLogRetentionDays?: number;
  readonly requireCustomerManagedKeys: boolean;
  readonly requirePrivateNetwork: boolean;
  /** Whether accounts and regions invoking Bedrock must have data retention mode none. */
  readonly requireZeroDataRetention: boolean;
  readonly legalBasis?: string;
  readonly businessAssociateAgreement: boolean;
  /** Which resources the guardrail could not read are errors. */
  readonly notInspected: NotInspectedMode;
  /** Logging provided outside the app, with its evidence. */
  readonly centralLogging: readonly CentralLoggingSpec[];
  /** An inference-profile catalog file (absolute path) to use before the built-in one. */
  readonly inferenceProfileCatalog?: string;
  /** A provider declarations file (absolute path), when the policy names one. */
  readonly providersFile?: string;
  readonly suppressions: readonly SuppressionSpec[];
  /** Where the policy came from (preset name or file), for reports. */
  readonly source: string;

  private constructor(resolved: ResolvedFields, source: string) {
    this.name = resolved.name;
    this.jurisdiction = resolved.jurisdiction;
    this.regions = resolved.regions;
    this.dataClassification = resolved.dataClassification;
    this.frameworks = resolved.frameworks;
    this.minAuditLogRetentionDays = resolved.minAuditLogRetentionDays;
    this.minAuditLogRetentionBasis = resolved.minAuditLogRetentionBasis;
    this.maxContentLogRetentionDays = resolved.maxContentLogRetentionDays;
    this.requireCustomerManagedKeys = resolved.requireCustomerManagedKeys;
    this.requirePrivateNetwork = resolved.requirePrivateNetwork;
    this.requireZeroDataRetention = resolved.requireZeroDataRetention;
    this.legalBasis = resolved.legalBasis;
    this.businessAssociateAgreement = resolved.businessAssociateAgreement;
    this.notInspected = resolved.notInspected;
    this.centralLogging = resolved.centralLogging;
    this.inferenceProfileCatalog = resolved.inferenceProfileCatalog;
    this.providersFile = resolved.providersFile;
    this.suppressions = resolved.suppressions;
    this.source = source;
  }

  /** Whether any residency constraint applies. */
  get constrainsResidency(): boolean {
    return this.jurisdiction !== undefined || CLOUDS.some((cloud) => this.regions[cloud] !== undefined);
  }

  /** A one-line description for messages: `EU (eu-central-1, eu-west-1 for aws)`. */
  describeResidency(cloud?: 'aws' | 'azure' | 'google'): string {
    const parts: string[] = [];
    if (this.jurisdiction) parts.push(`jurisdiction ${this.jurisdiction}`);
    const list = cloud ? this.regions[cloud] : undefined;
    if (list) parts.push(`regions ${list.join(', ')}`);
    return parts.length > 0 ? parts.join(', ') : 'no residency constraint';
  }

  /** The resolved policy as reports and the data-flow documentation state it. */
  toJSON(): PolicySummary {
    return {
      name: this.name,
      source: this.source,
      jurisdiction: this.jurisdiction ?? null,
      regions: this.regions,
      dataClassification: this.dataClassification,
      frameworks: [...this.frameworks],
      minAuditLogRetentionDays: this.minAuditLogRetentionDays,
      maxContentLogRetentionDays: this.maxContentLogRetentionDays ?? null,
      requireCustomerManagedKeys: this.requireCustomerManagedKeys,
      requirePrivateNetwork: this.requirePrivateNetwork,
      requireZeroDataRetention: this.requireZeroDataRetention,
      legalBasis: this.legalBasis ?? null,
      businessAssociateAgreement: this.businessAssociateAgreement,
      notInspected: this.notInspected,
      centralLogging: this.centralLogging,
    };
  }
}

/** The resolved policy as data: what every report and the documentation print. */
export interface PolicySummary {
  readonly name: string;
  /** Where the policy came from: `preset eu`, a file path. */
  readonly source: string;
  readonly jurisdiction: string | null;
  readonly regions: RegionAllowList;
  readonly dataClassification: DataClassification;
  readonly frameworks: readonly string[];
  readonly minAuditLogRetentionDays: number;
  readonly maxContentLogRetentionDays: number | null;
  readonly requireCustomerManagedKeys: boolean;
  readonly requirePrivateNetwork: boolean;
  readonly requireZeroDataRetention: boolean;
  readonly legalBasis: string | null;
  readonly businessAssociateAgreement: boolean;
  readonly notInspected: NotInspectedMode;
  readonly centralLogging: readonly CentralLoggingSpec[];
}

interface ResolvedFields {
  name: string;
  jurisdiction?: string;
  regions: RegionAllowList;
  dataClassification: DataClassification;
  frameworks: Framework[];
  minAuditLogRetentionDays: number;
  minAuditLogRetentionBasis: string;
  maxContentLogRetentionDays?: number;
  requireCustomerManagedKeys: boolean;
  requirePrivateNetwork: boolean;
  requireZeroDataRetention: boolean;
  legalBasis?: string;
  businessAssociateAgreement: boolean;
  notInspected: NotInspectedMode;
  centralLogging: CentralLoggingSpec[];
  inferenceProfileCatalog?: string;
  providersFile?: string;
  suppressions: SuppressionSpec[];
}

function validate(input: PolicySpec, source: string): ResolvedFields {
  const fail = (message: string, fix: string): never => {
    throw new InputError(`${source}: ${message}`, fix);
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('a policy must be an object', `use keys: ${SPEC_KEYS.join(', ')}`);
  for (const key of Object.keys(input)) {
    if (!(SPEC_KEYS as readonly string[]).includes(key)) fail(`unknown policy key "${key}"`, `allowed keys: ${SPEC_KEYS.join(', ')}`);
  }
  let spec: PolicySpec = input;
  if (input.extends !== undefined) {
    if (typeof input.extends !== 'string' || !presetSpec(input.extends)) fail(`"extends" must name a preset, found ${JSON.stringify(input.extends)}`, `allowed values: ${Object.keys(PRESETS).join(', ')}`);
    spec = { ...presetSpec(input.extends as string), name: input.extends, ...input };
  }

  const name = optionalString(spec.name, 'name', fail) ?? 'custom';

  let jurisdiction: string | undefined;
  if (spec.jurisdiction !== undefined) {
    const code = typeof spec.jurisdiction === 'string' ? spec.jurisdiction.toUpperCase() : '';
    if (code !== 'NONE') {
      if (!jurisdictionCodes().includes(code)) fail(`unknown jurisdiction ${JSON.stringify(spec.jurisdiction)}`, `allowed values: ${jurisdictionCodes().join(', ')}, none`);
      jurisdiction = code;
    }
  }

  const regions: { aws?: string[]; azure?: string[]; google?: string[] } = {};
  if (spec.regions !== undefined) {
    if (typeof spec.regions !== 'object' || spec.regions === null || Array.isArray(spec.regions)) fail('"regions" must be an object', 'e.g. regions: { aws: [eu-central-1] }');
    for (const [cloud, list] of Object.entries(spec.regions)) {
      if (!(CLOUDS as readonly string[]).includes(cloud)) fail(`unknown cloud "regions.${cloud}"`, `allowed keys: ${CLOUDS.join(', ')}`);
      if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== 'string')) fail(`"regions.${cloud}" must be a non-empty list of region names`, 'e.g. [eu-central-1]');
      const typedCloud = cloud as (typeof CLOUDS)[number];
      regions[typedCloud] = (list as string[]).map((region) => {
        const normalized = normalizeLocation(typedCloud, region);
        if (!isKnownLocation(typedCloud, normalized)) fail(`"regions.${cloud}" names unknown ${cloud} region "${region}"`, `use a ${cloud} region code from the catalog (llm-guardrail regions ${cloud})`);
        if (jurisdiction && !locationInJurisdiction(typedCloud, normalized, jurisdiction)) {
          fail(`"regions.${cloud}" lists "${region}", which lies outside jurisdiction ${jurisdiction}`, `remove it or change the jurisdiction`);
        }
        return normalized;
      });
    }
  }

  const dataClassification = (spec.dataClassification ?? 'internal') as DataClassification;
  if (!DATA_CLASSIFICATIONS.includes(dataClassification)) fail(`unknown dataClassification ${JSON.stringify(spec.dataClassification)}`, `allowed values: ${DATA_CLASSIFICATIONS.join(', ')}`);

  const frameworks = (spec.frameworks ?? []) as Framework[];
  if (!Array.isArray(frameworks)) fail('"frameworks" must be a list', `allowed values: ${FRAMEWORKS.join(', ')}`);
  for (const framework of frameworks) {
    if (!FRAMEWORKS.includes(framework)) fail(`unknown framework ${JSON.stringify(framework)}`, `allowed values: ${FRAMEWORKS.join(', ')}`);
  }
  const uniqueFrameworks = [...new Set(frameworks)].sort();

  let strictest = 0;
  let basis = 'no framework sets a minimum';
  for (const framework of uniqueFrameworks) {
    const minimum = FRAMEWORK_REQUIREMENTS[framework].minAuditLogRetentionDays;
    if (minimum !== undefined && minimum > strictest) {
      strictest = minimum;
      basis = FRAMEWORK_REQUIREMENTS[framework].retentionBasis;
    }
  }
  let minAuditLogRetentionDays = strictest;
  if (spec.minAuditLogRetentionDays !== undefined) {
    const value = positiveInteger(spec.minAuditLogRetentionDays, 'minAuditLogRetentionDays', fail);
    if (value < strictest) fail(`minAuditLogRetentionDays ${value} is below the ${strictest} days required (${basis})`, `set it to at least ${strictest} or remove it`);
    if (value > strictest) basis = 'the policy';
    minAuditLogRetentionDays = value;
  }

  let maxContentLogRetentionDays: number | undefined;
  if (spec.maxContentLogRetentionDays !== undefined) {
    maxContentLogRetentionDays = positiveInteger(spec.maxContentLogRetentionDays, 'maxContentLogRetentionDays', fail);
    if (maxContentLogRetentionDays < minAuditLogRetentionDays) {
      fail(
        `maxContentLogRetentionDays ${maxContentLogRetentionDays} is below minAuditLogRetentionDays ${minAuditLogRetentionDays}; invocation logs are both audit and content logs`,
        `set maxContentLogRetentionDays to at least ${minAuditLogRetentionDays}`,
      );
    }
  } else if (uniqueFrameworks.some((framework) => FRAMEWORK_REQUIREMENTS[framework].requiresFiniteContentRetention)) {
    fail('GDPR is in force but maxContentLogRetentionDays is not set (storage limitation needs a finite retention for prompt/response logs)', 'set maxContentLogRetentionDays, e.g. 400');
  }

  const requireCustomerManagedKeys = optionalBoolean(spec.requireCustomerManagedKeys, 'requireCustomerManagedKeys', fail) ?? false;
  const requirePrivateNetwork = optionalBoolean(spec.requirePrivateNetwork, 'requirePrivateNetwork', fail) ?? false;
  const requireZeroDataRetention = optionalBoolean(spec.requireZeroDataRetention, 'requireZeroDataRetention', fail) ?? false;
  const businessAssociateAgreement = optionalBoolean(spec.businessAssociateAgreement, 'businessAssociateAgreement', fail) ?? false;
  const legalBasis = optionalString(spec.legalBasis, 'legalBasis', fail);
  const notInspected = (spec.notInspected ?? 'ai-services') as NotInspectedMode;
  if (!NOT_INSPECTED_MODES.includes(notInspected)) fail(`unknown notInspected ${JSON.stringify(spec.notInspected)}`, `allowed values: ${NOT_INSPECTED_MODES.join(', ')}`);

  const centralLogging: CentralLoggingSpec[] = [];
  if (spec.centralLogging !== undefined) {
    if (!Array.isArray(spec.centralLogging)) fail('"centralLogging" must be a list', 'each entry: { account, regions, provides, evidence }');
    spec.centralLogging.forEach((entry, index) => centralLogging.push(validateCentralLogging(entry, `centralLogging[${index}]`, fail)));
  }

  const catalogPath = optionalString(spec.inferenceProfileCatalog, 'inferenceProfileCatalog', fail);
  // Relative to the policy file; a policy written in code resolves against the working directory.
  const inferenceProfileCatalog = catalogPath === undefined ? undefined : path.resolve(fs.existsSync(source) ? path.dirname(source) : process.cwd(), catalogPath);
  if (inferenceProfileCatalog !== undefined) readInferenceProfileCatalog(inferenceProfileCatalog);
  const providersPath = optionalString(spec.providers, 'providers', fail);
  const providersFile = providersPath === undefined ? undefined : path.resolve(fs.existsSync(source) ? path.dirname(source) : process.cwd(), providersPath);
  if (providersFile !== undefined && !fs.existsSync(providersFile)) fail(`"providers" names ${providersFile}, which does not exist`, 'give the declarations file relative to the policy file');

  const suppressions: SuppressionSpec[] = [];
  if (spec.suppressions !== undefined) {
    if (!Array.isArray(spec.suppressions)) fail('"suppressions" must be a list', 'each entry: { ruleId, resource, reason, expires }');
    spec.suppressions.forEach((entry, index) => suppressions.push(validateSuppression(entry, `suppressions[${index}]`, fail)));
  }

  return {
    name,
    jurisdiction,
    regions,
    dataClassification,
    frameworks: uniqueFrameworks,
    minAuditLogRetentionDays,
    minAuditLogRetentionBasis: basis,
    maxContentLogRetentionDays,
    requireCustomerManagedKeys,
    requirePrivateNetwork,
    requireZeroDataRetention,
    legalBasis,
    businessAssociateAgreement,
    notInspected,
    centralLogging,
    ...(inferenceProfileCatalog !== undefined ? { inferenceProfileCatalog } : {}),
    ...(providersFile !== undefined ? { providersFile } : {}),
    suppressions,
  };
}

/** Checks one declaration of central logging: an AWS account and regions, or a Google Cloud project; what it provides, and evidence. */
function validateCentralLogging(entry: unknown, where: string, fail: (message: string, fix: string) => never): CentralLoggingSpec {
  const fix =
    'each entry needs { account: "123456789012" or "*", regions: [eu-central-1] or ["*"], provides: [invocation-logging, trail], evidence: "…" }, or { project: "acme-ml" or "*", provides: [data-access-audit-logs], evidence: "…" }';
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(`${where} must be an object`, fix);
  const record = entry as { [key: string]: unknown };
  for (const key of Object.keys(record)) {
    if (!(CENTRAL_LOGGING_KEYS as readonly string[]).includes(key)) fail(`unknown key "${where}.${key}"`, `allowed keys: ${CENTRAL_LOGGING_KEYS.join(', ')}`);
  }
  if ((record.account === undefined) === (record.project === undefined)) fail(`${where} must name either an AWS account or a Google Cloud project`, fix);
  const provides = record.provides;
  if (!Array.isArray(provides) || provides.length === 0 || !provides.every((kind) => (CENTRAL_LOGGING_KINDS as readonly unknown[]).includes(kind))) {
    fail(`${where}.provides must list what is provided, found ${JSON.stringify(provides)}`, `allowed values: ${CENTRAL_LOGGING_KINDS.join(', ')}`);
  }
  if (typeof record.evidence !== 'string' || record.evidence.trim().length < 10) fail(`${where}.evidence must say where an auditor finds the proof (10 characters at least)`, 'e.g. "Organization trail in log-archive account 999999999999, LZ-142"');
  const evidence = (record.evidence as string).trim();
  if (record.project !== undefined) {
    if (typeof record.project !== 'string' || !/^([a-z][a-z0-9-]{4,28}[a-z0-9]|\*)$/.test(record.project)) fail(`${where}.project must be a Google Cloud project id or "*", found ${JSON.stringify(record.project)}`, fix);
    if (record.regions !== undefined) fail(`${where}.regions applies to AWS accounts; a project's audit logs are not per region`, 'remove regions from the project entry');
    const misplaced = (provides as CentralLoggingKind[]).filter((kind) => kind !== 'data-access-audit-logs');
    if (misplaced.length > 0) fail(`${where}.provides: ${misplaced.join(', ')} is provided for AWS accounts, not Google Cloud projects`, 'a project entry provides [data-access-audit-logs]');
    return { project: record.project as string, provides: [...(provides as CentralLoggingKind[])], evidence };
  }
  if (typeof record.account !== 'string' || !/^(\d{12}|\*)$/.test(record.account)) fail(`${where}.account must be a 12-digit account id or "*", found ${JSON.stringify(record.account)}`, fix);
  if (!Array.isArray(record.regions) || record.regions.length === 0 || !record.regions.every((region) => typeof region === 'string' && (region === '*' || isKnownLocation('aws', region)))) {
    fail(`${where}.regions must list AWS regions (or "*"), found ${JSON.stringify(record.regions)}`, fix);
  }
  const google = (provides as CentralLoggingKind[]).filter((kind) => !AWS_CENTRAL_LOGGING_KINDS.includes(kind));
  if (google.length > 0) fail(`${where}.provides: ${google.join(', ')} is provided for Google Cloud projects, not AWS accounts`, 'declare it in an entry with project instead of account');
  return { account: record.account as string, regions: [...(record.regions as string[])], provides: [...(provides as CentralLoggingKind[])], evidence };
}

/** Checks one acknowledgement: a specific rule, a resource, a reason and a valid expiry date. */
export function validateSuppression(entry: unknown, where: string, fail: (message: string, fix: string) => never): SuppressionSpec {
  const fix = 'each suppression needs { ruleId, resource, reason, expires: YYYY-MM-DD }';
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(`${where} must be an object`, fix);
  const record = entry as { [key: string]: unknown };
  for (const key of Object.keys(record)) {
    if (!(SUPPRESSION_KEYS as readonly string[]).includes(key)) fail(`unknown key "${where}.${key}"`, `allowed keys: ${SUPPRESSION_KEYS.join(', ')}`);
  }
  if (typeof record.ruleId !== 'string' || !new RegExp(RULE_ID_PATTERN).test(record.ruleId)) {
    fail(`${where}.ruleId must be one rule id like LCG-RES-001, found ${JSON.stringify(record.ruleId)}`, 'whole categories cannot be suppressed; name the rule');
  }
  if (typeof record.resource !== 'string' || record.resource.trim() === '' || record.resource.trim() === '*') {
    fail(`${where}.resource must name a logical id, Terraform address or construct path, found ${JSON.stringify(record.resource)}`, 'name the resource the acknowledgement is for');
  }
  if (typeof record.reason !== 'string' || record.reason.trim().length < 10) fail(`${where}.reason must explain the acknowledgement (10 characters at least)`, 'write why the finding is acceptable');
  if (typeof record.expires !== 'string' || !isIsoDate(record.expires)) fail(`${where}.expires must be a date YYYY-MM-DD, found ${JSON.stringify(record.expires)}`, 'set the last day the acknowledgement holds');
  return { ruleId: record.ruleId as string, resource: (record.resource as string).trim(), reason: (record.reason as string).trim(), expires: record.expires as string };
}

export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function positiveInteger(value: unknown, key: string, fail: (message: string, fix: string) => never): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(`"${key}" must be a whole number of days, found ${JSON.stringify(value)}`, 'e.g. 365');
  return value as number;
}

function optionalBoolean(value: unknown, key: string, fail: (message: string, fix: string) => never): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') fail(`"${key}" must be true or false, found ${JSON.stringify(value)}`, 'allowed values: true, false');
  return value as boolean | undefined;
}

function optionalString(value: unknown, key: string, fail: (message: string, fix: string) => never): string | undefined {
  if (value !== undefined && typeof value !== 'string') fail(`"${key}" must be a string, found ${JSON.stringify(value)}`, 'quote the value');
  return value as string | undefined;
}

/** A preset by name: own entries only, so `toString` or `constructor` name no preset. */
function presetSpec(name: string): PolicySpec | undefined {
  return Object.prototype.hasOwnProperty.call(PRESETS, name) ? PRESETS[name] : undefined;
}
