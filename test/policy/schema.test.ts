/**
 * The JSON Schema of policy files: generated from the validator's own lists,
 * accepted by every preset and every policy the project ships or shows, and in
 * agreement with the validator on policies that are wrong in shape.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { CENTRAL_LOGGING_KEYS, GuardrailPolicy, SPEC_KEYS, SUPPRESSION_KEYS } from '../../lib/policy/policy';
import { PRESETS } from '../../lib/policy/presets';
import { POLICY_SCHEMA_FILE, policySchema } from '../../lib/policy/schema';
import { ruleExamples } from '../../lib/rules/examples';
import { ALL_RULES } from '../../lib/rules';
import { tempDir } from '../support/synth';

const ROOT = path.join(__dirname, '..', '..');
const committed = JSON.parse(fs.readFileSync(path.join(ROOT, POLICY_SCHEMA_FILE), 'utf8'));
const validateShape = new Ajv({ allErrors: true, strict: true }).compile(committed);

/**
 * Ajv's verdict and the validator's on the same policy, read from a file as users keep it (beside an
 * inference-profile catalog, when the policy names one).
 */
function verdicts(spec: unknown): { schema: boolean; tool: boolean } {
  const directory = tempDir('policy');
  const catalog = (spec as { inferenceProfileCatalog?: unknown }).inferenceProfileCatalog;
  if (typeof catalog === 'string') fs.copyFileSync(path.join(ROOT, 'lib', 'catalogs', 'data', 'bedrock-inference-profiles.json'), path.join(directory, catalog));
  const file = path.join(directory, 'policy.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  let tool = true;
  try {
    GuardrailPolicy.fromFile(file);
  } catch {
    tool = false;
  }
  return { schema: validateShape(spec) as boolean, tool };
}

/** Policies written in the README: YAML blocks that are policies (they name `extends` or `jurisdiction`) and the JSON of cdk.json. */
function readmePolicies(): unknown[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => parse(match[1])).filter((document) => typeof document === 'object' && document !== null && ('extends' in document || 'jurisdiction' in document));
}

describe('schema/policy.schema.json', () => {
  test('GIVEN the committed file THEN it is what `npm run schema` generates from the validator\'s lists (regenerate after changing them)', () => {
    expect(committed).toEqual(policySchema());
  });

  test('THEN it has exactly the keys the validator accepts, at every level', () => {
    expect(Object.keys(committed.properties).sort()).toEqual([...SPEC_KEYS].sort());
    expect(Object.keys(committed.properties.suppressions.items.properties).sort()).toEqual([...SUPPRESSION_KEYS].sort());
    // An AWS account entry or a Google Cloud project entry: together, every key the validator accepts.
    const variants = committed.properties.centralLogging.items.oneOf as { properties: object }[];
    expect([...new Set(variants.flatMap((variant) => Object.keys(variant.properties)))].sort()).toEqual([...CENTRAL_LOGGING_KEYS].sort());
  });

  test.each(Object.entries(PRESETS))('Compliance: the preset %s validates', (_name, spec) => {
    expect(verdicts(spec)).toEqual({ schema: true, tool: true });
  });

  test('Compliance: the shipped policy/eea.yaml and every policy the README shows validate, with and without $schema', () => {
    const shipped = parse(fs.readFileSync(path.join(ROOT, 'policy', 'eea.yaml'), 'utf8'));
    const policies = [shipped, ...readmePolicies()];
    expect(policies.length).toBeGreaterThanOrEqual(3);
    for (const spec of policies) {
      expect(verdicts(spec)).toEqual({ schema: true, tool: true });
      expect(verdicts({ ...spec, $schema: '../node_modules/llm-compliance-guardrail/schema/policy.schema.json' })).toEqual({ schema: true, tool: true });
    }
  });

  test('Compliance: central logging for a Google Cloud project validates', () => {
    expect(verdicts({ extends: 'eu', centralLogging: [{ project: 'acme-ml', provides: ['data-access-audit-logs'], evidence: 'Landing zone audit config LZ-77' }] })).toEqual({ schema: true, tool: true });
  });

  test('Compliance: every policy of the rules\' examples validates', () => {
    const specs = ALL_RULES.flatMap((rule) => ruleExamples(rule)).flatMap((example) => (typeof example.policy === 'object' ? [example.policy] : []));
    expect(specs.length).toBeGreaterThan(5);
    for (const spec of specs) expect({ spec, ...verdicts(spec) }).toEqual({ spec, schema: true, tool: true });
  });

  test.each<[string, unknown]>([
    ['an unknown key (a typo)', { extends: 'eu', jurisdicton: 'EU' }],
    ['an unknown preset', { extends: 'europe' }],
    ['an unknown jurisdiction', { jurisdiction: 'Atlantis' }],
    ['an unknown cloud in regions', { regions: { oracle: ['eu-frankfurt-1'] } }],
    ['an unknown region', { regions: { aws: ['eu-central-9'] } }],
    ['an empty region list', { regions: { google: [] } }],
    ['an unknown data classification', { dataClassification: 'secret' }],
    ['an unknown framework', { frameworks: ['pci'] }],
    ['retention that is no whole number of days', { extends: 'soc2', minAuditLogRetentionDays: 365.5 }],
    ['retention of zero days', { extends: 'eu', maxContentLogRetentionDays: 0 }],
    ['a flag that is not a boolean', { extends: 'eu', requirePrivateNetwork: 'yes' }],
    ['an unknown notInspected mode', { notInspected: 'some' }],
    ['an acknowledgement without an expiry date', { extends: 'eu', suppressions: [{ ruleId: 'LCG-NET-010', resource: 'App/Endpoint', reason: 'tracked in PLAT-412' }] }],
    ['an acknowledgement of a whole category', { extends: 'eu', suppressions: [{ ruleId: 'LCG-NET', resource: 'App/Endpoint', reason: 'tracked in PLAT-412', expires: '2027-03-31' }] }],
    ['an acknowledgement of every resource', { extends: 'eu', suppressions: [{ ruleId: 'LCG-NET-010', resource: '*', reason: 'tracked in PLAT-412', expires: '2027-03-31' }] }],
    ['an acknowledgement with a short reason', { extends: 'eu', suppressions: [{ ruleId: 'LCG-NET-010', resource: 'App/Endpoint', reason: 'ok', expires: '2027-03-31' }] }],
    ['central logging for a malformed account', { extends: 'eu', centralLogging: [{ account: '1234', regions: ['*'], provides: ['trail'], evidence: 'Organization trail, LZ-142' }] }],
    ['central logging providing something unknown', { extends: 'eu', centralLogging: [{ account: '*', regions: ['*'], provides: ['firewall'], evidence: 'Organization trail, LZ-142' }] }],
    ['central logging for a Google project with regions', { extends: 'eu', centralLogging: [{ project: 'acme-ml', regions: ['*'], provides: ['data-access-audit-logs'], evidence: 'Landing zone audit config LZ-77' }] }],
    ['central logging of an AWS trail for a Google project', { extends: 'eu', centralLogging: [{ project: 'acme-ml', provides: ['trail'], evidence: 'Landing zone audit config LZ-77' }] }],
    ['central logging of Google audit logs for an AWS account', { extends: 'eu', centralLogging: [{ account: '*', regions: ['*'], provides: ['data-access-audit-logs'], evidence: 'Landing zone audit config LZ-77' }] }],
  ])('Noncompliance: %s is refused by the schema and by the tool', (_what, spec) => {
    expect(verdicts(spec)).toEqual({ schema: false, tool: false });
  });

  test('Unresolved: what only the tool can judge (a region outside the jurisdiction, retention below a framework minimum) passes the schema and is refused by the tool', () => {
    expect(verdicts({ jurisdiction: 'EU', regions: { aws: ['us-east-1'] } })).toEqual({ schema: true, tool: false });
    expect(verdicts({ frameworks: ['hipaa'], minAuditLogRetentionDays: 30 })).toEqual({ schema: true, tool: false });
  });
});
