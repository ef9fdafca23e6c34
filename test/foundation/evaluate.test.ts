import { matchesResource } from '../../lib/engine/evaluate';
import { runGuardrail } from '../../lib/gate/run';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { ALL_RULES } from '../../lib/rules';
import { CATEGORIES } from '../../lib/rules/rule';
import { cfnGraph } from '../support/rules';

const LONDON = cfnGraph({ Resources: { Q: { Type: 'AWS::SQS::Queue', Metadata: { 'aws:cdk:path': 'App/Legacy/Queue/Resource' } } } }, 'eu-west-2');

describe('the rule registry', () => {
  test('ids are unique, permanent-looking and carry full metadata', () => {
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^LCG-(RES|LOG|RET|ENC|NET|IAM|PRV|COV)-\d{3}$/);
      expect(CATEGORIES).toContain(rule.category);
      expect(['error', 'warning']).toContain(rule.severity);
      for (const text of [rule.title, rule.rationale, rule.remediation]) expect(text.length).toBeGreaterThan(10);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
    }
  });

  test('the id prefix matches the category', () => {
    const prefix = { residency: 'RES', logging: 'LOG', retention: 'RET', encryption: 'ENC', network: 'NET', identity: 'IAM', provider: 'PRV', coverage: 'COV' };
    for (const rule of ALL_RULES) expect(rule.id.split('-')[1]).toBe(prefix[rule.category]);
  });
});

describe('findings', () => {
  test('carry rule id, severity, category, resource and a message with found, expected and fix', () => {
    const [finding] = runGuardrail(LONDON, GuardrailPolicy.preset('eu'), { today: '2026-11-25' }).report.findings;
    expect(finding).toMatchObject({ ruleId: 'LCG-RES-002', severity: 'error', category: 'residency', resource: { id: 'App', stack: 'App' } });
    expect(finding.message).toMatch(/Found: region = eu-west-2 .*Expected: .*EU.*Fix: /);
    expect(finding.frameworks.join(' ')).toMatch(/gdpr: Chapter V/);
  });
});

describe('acknowledgements', () => {
  const acknowledged = (expires: string) =>
    GuardrailPolicy.fromSpec({ extends: 'eu', suppressions: [{ ruleId: 'LCG-RES-002', resource: 'App', reason: 'Migration to Frankfurt tracked in PLAT-123', expires }] });

  test('an active acknowledgement moves the finding to the acknowledged list and is reported', () => {
    const report = runGuardrail(LONDON, acknowledged('2026-12-31'), { today: '2026-11-25' }).report;
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toHaveLength(1);
    expect(report.suppressed[0].suppression.reason).toMatch(/PLAT-123/);
    expect(report.suppressions).toEqual([expect.objectContaining({ status: 'active', matched: 1 })]);
    expect(report.checks).toEqual([expect.objectContaining({ status: 'suppressed' })]);
  });

  test('the last day still counts; the day after, the acknowledgement is itself an error and the finding is back', () => {
    expect(runGuardrail(LONDON, acknowledged('2026-11-25'), { today: '2026-11-25' }).report.summary.errors).toBe(0);
    const report = runGuardrail(LONDON, acknowledged('2026-11-24'), { today: '2026-11-25' }).report;
    expect(report.findings.map((finding) => finding.ruleId).sort()).toEqual(['LCG-RES-002', 'LCG-SUP-001']);
    expect(report.findings.find((finding) => finding.ruleId === 'LCG-SUP-001')!.message).toMatch(/expired on 2026-11-24/);
    expect(report.suppressions[0].status).toBe('expired');
  });

  test('an acknowledgement matching nothing is a warning; one naming an unknown rule is an error', () => {
    const policy = GuardrailPolicy.fromSpec({
      extends: 'eu',
      suppressions: [
        { ruleId: 'LCG-RES-001', resource: 'Nothing', reason: 'left over from a refactoring', expires: '2027-01-01' },
        { ruleId: 'LCG-RES-999', resource: 'App', reason: 'a rule that does not exist', expires: '2027-01-01' },
      ],
    });
    const report = runGuardrail(LONDON, policy, { today: '2026-11-25' }).report;
    expect(report.findings.map((finding) => [finding.ruleId, finding.severity])).toEqual(
      expect.arrayContaining([
        ['LCG-SUP-002', 'warning'],
        ['LCG-SUP-003', 'error'],
      ]),
    );
  });

  test('resource selectors: id, stack/id, construct path, and a path subtree', () => {
    const resource = { id: 'Q', type: 'AWS::SQS::Queue', path: 'App/Legacy/Queue/Resource', stack: 'App', file: '' };
    expect(matchesResource('Q', resource)).toBe(true);
    expect(matchesResource('App/Q', resource)).toBe(true);
    expect(matchesResource('App/Legacy/Queue/Resource', resource)).toBe(true);
    expect(matchesResource('App/Legacy/*', resource)).toBe(true);
    expect(matchesResource('App/Other/*', resource)).toBe(false);
    expect(matchesResource('Queue', resource)).toBe(false);
  });
});
