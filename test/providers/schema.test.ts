/**
 * The JSON Schema of provider declarations files: generated from the
 * validator's lists, accepted for the shipped file, and in agreement with
 * the validator on declarations that are wrong in shape.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { PROVIDERS_SCHEMA_FILE, providerDeclarationsSchema, readDeclarationsFile } from '../../lib/input/provider-declarations';
import { tempDir } from '../support/synth';

const ROOT = path.join(__dirname, '..', '..');
const committed = JSON.parse(fs.readFileSync(path.join(ROOT, PROVIDERS_SCHEMA_FILE), 'utf8'));
const validateShape = new Ajv({ allErrors: true, strict: false }).compile(committed);

function verdicts(document: unknown): { schema: boolean; tool: boolean } {
  const file = path.join(tempDir('declarations'), 'providers.json');
  fs.writeFileSync(file, JSON.stringify(document));
  let tool = true;
  try {
    readDeclarationsFile(file);
  } catch {
    tool = false;
  }
  return { schema: validateShape(document) as boolean, tool };
}

const shipped = parse(fs.readFileSync(path.join(ROOT, 'policy', 'providers.yaml'), 'utf8')) as { providers: object[] };
const base = { name: 'chat', provider: 'openai', host: 'eu.api.openai.com', dataClassification: 'pii' };

describe('schema/providers.schema.json', () => {
  test('THEN it is what `npm run schema` generates (regenerate after changing the validator or the catalog)', () => {
    expect(committed).toEqual(providerDeclarationsSchema());
  });

  test('THEN the shipped policy/providers.yaml validates, with $schema too', () => {
    expect(verdicts(shipped)).toEqual({ schema: true, tool: true });
    expect(verdicts({ $schema: '../node_modules/llm-compliance-guardrail/schema/providers.schema.json', ...shipped })).toEqual({ schema: true, tool: true });
  });

  test.each<[string, unknown]>([
    ['an unknown key', { providers: [{ ...base, hostname: 'x' }] }],
    ['an unknown provider', { providers: [{ ...base, provider: 'openia' }] }],
    ['a provider with several offerings and none named', { providers: [{ ...base, provider: 'mistral' }] }],
    ['an offering of another provider', { providers: [{ ...base, offering: 'mistral/scale' }] }],
    ['a classification that is not one', { providers: [{ ...base, dataClassification: 'secret' }] }],
    ['an evidence date that is not one', { providers: [{ ...base, evidence: { vendorReview: { date: 'last week', reviewer: 'x' } } }] }],
    ['an evidence document without its dates', { providers: [{ ...base, evidence: { soc2: { periodEnd: '2026-06-30' } } }] }],
    ['an unknown evidence document', { providers: [{ ...base, evidence: { nda: { signed: '2026-01-01' } } }] }],
    ['no providers list', { declarations: [base] }],
  ])('Noncompliance: %s is refused by the schema and by the tool', (_, document) => {
    expect(verdicts(document)).toEqual({ schema: false, tool: false });
  });
});
