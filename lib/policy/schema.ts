/**
 * The JSON Schema of policy files, built from the same lists the validator
 * uses (keys, presets, jurisdictions, regions, frameworks, classifications),
 * so editors complete and check a policy as the tool reads it. It describes
 * the shape; what only the tool can judge (regions inside the jurisdiction,
 * retention against the frameworks' minimums) stays with `GuardrailPolicy`.
 * `npm run schema` writes it to schema/policy.schema.json.
 */
import { CatalogCloud, jurisdictionCodes, locationCodes, locationSpellings } from '../catalogs';
import { FRAMEWORKS } from './frameworks';
import { PRESETS } from './presets';
import { AWS_CENTRAL_LOGGING_KINDS, CENTRAL_LOGGING_KINDS, DATA_CLASSIFICATIONS, NOT_INSPECTED_MODES } from './spec';

/** Where the schema is written, relative to the package root; `npm run schema` regenerates it. */
export const POLICY_SCHEMA_FILE = 'schema/policy.schema.json';

/** The key under which a policy file names its schema; the validator ignores it. */
export const SCHEMA_KEY = '$schema';

/** A rule id, as acknowledgements name it. */
export const RULE_ID_PATTERN = '^LCG-[A-Z]+-\\d{3}$';

type Schema = { [key: string]: unknown };

const days = (description: string): Schema => ({ type: 'integer', minimum: 1, description });

/** The locations of a cloud a policy may name (Azure also by display name, "West Europe"). */
function regionList(cloud: CatalogCloud, example: string): Schema {
  const names = locationSpellings(cloud);
  return {
    type: 'array',
    minItems: 1,
    items: { type: 'string', enum: names },
    description: `${cloud} locations allowed, e.g. [${example}]; must lie inside the jurisdiction`,
  };
}

/** The policy file schema (JSON Schema draft-07, which editors' YAML and JSON support read). */
export function policySchema(): Schema {
  const jurisdictions = jurisdictionCodes();
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'llm-compliance-guardrail policy',
    description: 'What a workload must satisfy: residency, logging, retention, keys and network. Every key is optional with extends.',
    type: 'object',
    additionalProperties: false,
    properties: {
      [SCHEMA_KEY]: { type: 'string', description: 'The schema of this file (for editors); ignored by the tool' },
      extends: { enum: Object.keys(PRESETS), description: 'A preset to start from; the keys of this file override it' },
      name: { type: 'string', description: 'Name shown in reports (default: the preset name, or "custom")' },
      jurisdiction: {
        enum: [...jurisdictions, ...jurisdictions.map((code) => code.toLowerCase()), 'none', 'NONE'],
        description: 'Where data may be processed and stored, or none for no residency constraint',
      },
      regions: {
        type: 'object',
        additionalProperties: false,
        description: 'Explicit allow-lists per cloud, when the jurisdiction is too coarse',
        properties: { aws: regionList('aws', 'eu-central-1'), azure: regionList('azure', 'swedencentral'), google: regionList('google', 'europe-west4') },
      },
      dataClassification: { enum: [...DATA_CLASSIFICATIONS], description: 'Classification of the data the workload handles (default: internal)' },
      frameworks: { type: 'array', items: { enum: [...FRAMEWORKS] }, description: 'Frameworks in force; their minimums combine by taking the strictest' },
      minAuditLogRetentionDays: days('Minimum days audit logs are kept; at least the strictest framework minimum'),
      maxContentLogRetentionDays: days('Maximum days logs holding prompts and responses are kept; required when GDPR is in force'),
      requireCustomerManagedKeys: { type: 'boolean', description: 'Log stores, keys and endpoints use customer-managed keys' },
      requirePrivateNetwork: { type: 'boolean', description: 'Model endpoints are reached only over private network paths' },
      requireZeroDataRetention: { type: 'boolean', description: 'Every account and region invoking Bedrock has data retention mode none' },
      legalBasis: { type: 'string', description: 'Legal basis for processing personal data, shown on PII/PHI hops of the data flow' },
      businessAssociateAgreement: { type: 'boolean', description: 'A HIPAA business associate agreement covers the model providers' },
      notInspected: { enum: [...NOT_INSPECTED_MODES], description: 'Which resources nobody read fail the gate (LCG-COV-001); all are listed either way (default: ai-services)' },
      inferenceProfileCatalog: { type: 'string', description: 'An inference-profile catalog from `llm-guardrail catalog refresh aws`, relative to this file' },
      providers: { type: 'string', description: 'A declarations file of the external LLM providers the app calls (schema/providers.schema.json), relative to this file' },
      centralLogging: {
        type: 'array',
        description: 'Logging provided outside the app (a central logging account), with its evidence',
        items: {
          oneOf: [
            {
              type: 'object',
              additionalProperties: false,
              required: ['account', 'regions', 'provides', 'evidence'],
              properties: {
                account: { type: 'string', pattern: '^(\\d{12}|\\*)$', description: 'A 12-digit account id, or "*" for every account' },
                regions: { type: 'array', minItems: 1, items: { enum: ['*', ...locationCodes('aws')] }, description: 'AWS regions covered, or ["*"]' },
                provides: { type: 'array', minItems: 1, items: { enum: [...AWS_CENTRAL_LOGGING_KINDS] } },
                evidence: { type: 'string', minLength: 10, pattern: '\\S', description: 'Where an auditor finds the proof' },
              },
            },
            {
              type: 'object',
              additionalProperties: false,
              required: ['project', 'provides', 'evidence'],
              properties: {
                project: { type: 'string', pattern: '^([a-z][a-z0-9-]{4,28}[a-z0-9]|\\*)$', description: 'A Google Cloud project id, or "*" for every project' },
                provides: { type: 'array', minItems: 1, items: { enum: CENTRAL_LOGGING_KINDS.filter((kind) => !AWS_CENTRAL_LOGGING_KINDS.includes(kind)) } },
                evidence: { type: 'string', minLength: 10, pattern: '\\S', description: 'Where an auditor finds the proof' },
              },
            },
          ],
        },
      },
      suppressions: {
        type: 'array',
        description: 'Acknowledged findings: one rule, one resource, a reason and an expiry date',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['ruleId', 'resource', 'reason', 'expires'],
          properties: {
            ruleId: { type: 'string', pattern: RULE_ID_PATTERN, description: 'One rule, e.g. LCG-NET-010 (whole categories cannot be acknowledged)' },
            resource: { type: 'string', pattern: '[^\\s*]', description: 'Logical id, Terraform address or construct path (a path may end in /*)' },
            reason: { type: 'string', minLength: 10, description: 'Why the finding is acceptable, shown in every report' },
            expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Last day (YYYY-MM-DD) the acknowledgement holds' },
          },
        },
      },
    },
  };
}
