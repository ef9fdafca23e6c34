import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../../lib/core/errors';
import { GuardrailPolicy, SPEC_KEYS } from '../../lib/policy/policy';
import { PRESET_BASIS, PRESETS } from '../../lib/policy/presets';
import { tempDir } from '../support/synth';

function errorLine(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).line;
  }
  throw new Error('expected an InputError');
}

describe('presets', () => {
  test('eu: EU jurisdiction, GDPR + SOC 2 + EU AI Act, the strictest minimum (SOC 2, 365 days) and a finite content maximum', () => {
    const policy = GuardrailPolicy.preset('eu');
    expect(policy.jurisdiction).toBe('EU');
    expect(policy.frameworks).toEqual(['eu-ai-act', 'gdpr', 'soc2']);
    expect(policy.minAuditLogRetentionDays).toBe(365);
    expect(policy.maxContentLogRetentionDays).toBe(400);
    expect(policy.dataClassification).toBe('pii');
  });

  test('us-hipaa: US, HIPAA six years wins over SOC 2', () => {
    const policy = GuardrailPolicy.preset('us-hipaa');
    expect(policy.jurisdiction).toBe('US');
    expect(policy.minAuditLogRetentionDays).toBe(2190);
    expect(policy.minAuditLogRetentionBasis).toMatch(/HIPAA/);
    // HIPAA asks for encryption at rest and in transit, not for who holds the key or for private paths (§164.312(a)(2)(iv), (e)(2)(ii)).
    expect([policy.requirePrivateNetwork, policy.requireCustomerManagedKeys, policy.businessAssociateAgreement]).toEqual([false, false, true]);
  });

  test('soc2: no residency constraint', () => {
    const policy = GuardrailPolicy.preset('soc2');
    expect(policy.constrainsResidency).toBe(false);
    expect(policy.minAuditLogRetentionDays).toBe(365);
  });

  test('an unknown preset names the allowed ones', () => {
    expect(errorLine(() => GuardrailPolicy.preset('eu-strict'))).toMatch(/unknown policy preset "eu-strict".*eu, us-hipaa, soc2/);
  });
});

describe('framework minimums combine by taking the strictest', () => {
  test('EU AI Act alone: 183 days', () => {
    expect(GuardrailPolicy.fromSpec({ frameworks: ['eu-ai-act'] }).minAuditLogRetentionDays).toBe(183);
  });

  test('EU AI Act with HIPAA: 2190 days', () => {
    expect(GuardrailPolicy.fromSpec({ frameworks: ['eu-ai-act', 'hipaa'] }).minAuditLogRetentionDays).toBe(2190);
  });

  test('an explicit minimum above the frameworks wins', () => {
    expect(GuardrailPolicy.fromSpec({ frameworks: ['soc2'], minAuditLogRetentionDays: 400 }).minAuditLogRetentionDays).toBe(400);
  });

  test('an explicit minimum below a framework is refused, naming the framework', () => {
    expect(errorLine(() => GuardrailPolicy.fromSpec({ frameworks: ['hipaa'], minAuditLogRetentionDays: 365 }))).toMatch(/minAuditLogRetentionDays 365 is below the 2190 days required \(HIPAA/);
  });

  test('GDPR without a content maximum is refused (storage limitation)', () => {
    expect(errorLine(() => GuardrailPolicy.fromSpec({ frameworks: ['gdpr'] }))).toMatch(/maxContentLogRetentionDays is not set/);
  });

  test('a content maximum below the audit minimum is refused', () => {
    expect(errorLine(() => GuardrailPolicy.fromSpec({ frameworks: ['soc2', 'gdpr'], maxContentLogRetentionDays: 90 }))).toMatch(/below minAuditLogRetentionDays 365/);
  });
});

describe('validation: one clear line naming the key and the allowed values', () => {
  test.each([
    [{ jurisdicton: 'EU' }, /unknown policy key "jurisdicton".*allowed keys: extends, name, jurisdiction/],
    [{ jurisdiction: 'Europe' }, /unknown jurisdiction "Europe".*allowed values: .*EU.*none/],
    [{ dataClassification: 'secret' }, /unknown dataClassification "secret".*public, internal, confidential, pii, phi/],
    [{ frameworks: ['pci'] }, /unknown framework "pci".*hipaa, soc2, gdpr, eu-ai-act/],
    [{ minAuditLogRetentionDays: '365' }, /"minAuditLogRetentionDays" must be a whole number of days/],
    [{ requirePrivateNetwork: 'yes' }, /"requirePrivateNetwork" must be true or false/],
    [{ regions: { oracle: ['x'] } }, /unknown cloud "regions.oracle".*aws, azure, google/],
    [{ regions: { aws: ['eu-moon-1'] } }, /unknown aws region "eu-moon-1"/],
    [{ jurisdiction: 'EU', regions: { aws: ['eu-west-2'] } }, /lists "eu-west-2", which lies outside jurisdiction EU/],
    [{ extends: 'gdpr' }, /"extends" must name a preset.*eu, us-hipaa, soc2/],
  ])('%j', (spec, expected) => {
    const line = errorLine(() => GuardrailPolicy.fromSpec(spec as never, 'policy.json'));
    expect(line).toMatch(/^policy\.json: /);
    expect(line).toMatch(expected);
    expect(line).not.toContain('\n');
  });

  test.each([
    [{ ruleId: 'residency', resource: 'X', reason: 'because we must', expires: '2030-01-01' }, /ruleId must be one rule id.*whole categories cannot be suppressed/],
    [{ ruleId: 'LCG-RES-001', resource: '*', reason: 'because we must', expires: '2030-01-01' }, /resource must name/],
    [{ ruleId: 'LCG-RES-001', resource: 'X', reason: 'ok', expires: '2030-01-01' }, /reason must explain/],
    [{ ruleId: 'LCG-RES-001', resource: 'X', reason: 'because we must', expires: '2030-02-30' }, /expires must be a date YYYY-MM-DD/],
    [{ ruleId: 'LCG-RES-001', resource: 'X', reason: 'because we must' }, /expires must be a date/],
  ])('suppression %j is refused', (entry, expected) => {
    expect(errorLine(() => GuardrailPolicy.fromSpec({ extends: 'soc2', suppressions: [entry as never] }))).toMatch(expected);
  });
});

describe('policy files and references', () => {
  const directory = tempDir('policy');

  test('a YAML file extending a preset', () => {
    const file = path.join(directory, 'eea.yaml');
    fs.writeFileSync(file, 'extends: eu\nname: eea-workload\njurisdiction: EEA\nregions:\n  azure: [norwayeast, West Europe]\n');
    const policy = GuardrailPolicy.fromFile(file);
    expect(policy.name).toBe('eea-workload');
    expect(policy.jurisdiction).toBe('EEA');
    expect(policy.regions.azure).toEqual(['norwayeast', 'westeurope']);
    expect(policy.frameworks).toContain('gdpr');
  });

  test('a JSON file, loaded by relative path', () => {
    fs.writeFileSync(path.join(directory, 'p.json'), JSON.stringify({ jurisdiction: 'us', frameworks: ['soc2'] }));
    expect(GuardrailPolicy.load('p.json', directory).jurisdiction).toBe('US');
  });

  test('a preset name is loaded as a preset', () => {
    expect(GuardrailPolicy.load('us-hipaa').name).toBe('us-hipaa');
  });

  test('broken YAML, broken JSON and a missing file are one line each', () => {
    fs.writeFileSync(path.join(directory, 'bad.yaml'), 'jurisdiction: [EU\n');
    fs.writeFileSync(path.join(directory, 'bad.json'), '{"jurisdiction": ');
    expect(errorLine(() => GuardrailPolicy.fromFile(path.join(directory, 'bad.yaml')))).toMatch(/is not valid YAML/);
    expect(errorLine(() => GuardrailPolicy.fromFile(path.join(directory, 'bad.json')))).toMatch(/is not valid JSON/);
    expect(errorLine(() => GuardrailPolicy.load('missing/policy.yaml', directory))).toMatch(/cannot be read/);
  });

  test('jurisdiction "none" removes the residency constraint of a preset', () => {
    expect(GuardrailPolicy.fromSpec({ extends: 'eu', jurisdiction: 'none' }).constrainsResidency).toBe(false);
  });
});

describe('presets ask for what their frameworks require, and say why', () => {
  test.each(Object.keys(PRESETS))('GIVEN %s THEN every setting it makes has a basis, and every basis names a policy setting', (preset) => {
    const basis = PRESET_BASIS[preset];
    expect(Object.keys(PRESETS[preset]).filter((setting) => !(setting in basis))).toEqual([]);
    expect(Object.keys(basis).filter((setting) => !(SPEC_KEYS as readonly string[]).includes(setting))).toEqual([]);
  });

  test('THEN no preset requires customer-managed keys or private network paths: no framework they cover does', () => {
    expect(Object.keys(PRESETS).map((preset) => [GuardrailPolicy.preset(preset).requireCustomerManagedKeys, GuardrailPolicy.preset(preset).requirePrivateNetwork])).toEqual(Object.keys(PRESETS).map(() => [false, false]));
  });
});
