/**
 * Evidence about external providers judged at a fixed evaluation date, on
 * both sides of every boundary: a SOC 2 report relied on for 12 months after
 * its period, a bridge letter until the day it covers, a vendor review for 90
 * days, a BAA from the day it is signed.
 */
import { runGuardrail } from '../../lib/gate/run';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { findRule } from '../../lib/rules';
import { addMonths } from '../../lib/analysis/providers';
import { tfGraph } from '../support/rules';

function findingsAt(ruleId: string, evidence: object, today: string, policy = 'eu', dataClassification = 'pii'): string[] {
  const graph = tfGraph({ '//': { 'llm-guardrail': { providers: [{ name: 'chat', provider: 'openai', host: 'eu.api.openai.com', dataClassification, evidence }] } }, resource: {} });
  return runGuardrail(graph, GuardrailPolicy.preset(policy), { rules: [findRule(ruleId)!], today }).report.findings.map((finding) => finding.attribute ?? finding.message);
}

const review = { vendorReview: { date: '2026-08-27', reviewer: 'privacy-office' } };

describe('LCG-PRV-006 at the boundaries', () => {
  test.each([
    ['the last day the report is relied on', '2026-11-25', []],
    ['the day after', '2026-11-26', ['evidence.soc2']],
  ])('GIVEN a SOC 2 report whose period ended 2025-11-25, on %s THEN it is %p', (_, today, expected) => {
    expect(findingsAt('LCG-PRV-006', { soc2: { periodStart: '2024-11-26', periodEnd: '2025-11-25' }, vendorReview: { date: today, reviewer: 'x' } }, today)).toEqual(expected);
  });

  test.each([
    ['the last day the bridge letter covers', '2026-12-31', []],
    ['the day after', '2027-01-01', ['evidence.soc2']],
  ])('GIVEN a stale report bridged until 2026-12-31, on %s THEN it is %p', (_, today, expected) => {
    const evidence = { soc2: { periodStart: '2024-07-01', periodEnd: '2025-06-30' }, bridgeLetter: { date: '2026-07-15', coversUntil: '2026-12-31' }, vendorReview: { date: today, reviewer: 'x' } };
    expect(findingsAt('LCG-PRV-006', evidence, today)).toEqual(expected);
  });

  test('GIVEN a bridge letter dated after the evaluation date THEN it does not bridge yet', () => {
    const evidence = { soc2: { periodStart: '2024-07-01', periodEnd: '2025-06-30' }, bridgeLetter: { date: '2026-12-01', coversUntil: '2026-12-31' }, vendorReview: { date: '2026-11-25', reviewer: 'x' } };
    expect(findingsAt('LCG-PRV-006', evidence, '2026-11-25')).toEqual(['evidence.soc2']);
  });

  test.each([
    ['90 days after the review', '2026-11-25', []],
    ['91 days after', '2026-11-26', ['evidence.vendorReview']],
  ])('GIVEN a vendor review on 2026-08-27, %s THEN it is %p', (_, today, expected) => {
    expect(findingsAt('LCG-PRV-006', { soc2: { periodStart: '2025-07-01', periodEnd: '2026-06-30' }, ...review }, today)).toEqual(expected);
  });

  test('GIVEN internal data THEN no review is asked for; and without the SOC 2 framework no report either', () => {
    expect(findingsAt('LCG-PRV-006', {}, '2026-11-25', 'soc2', 'internal')).toEqual(['evidence.soc2']);
    const gdprOnly = tfGraph({ '//': { 'llm-guardrail': { providers: [{ name: 'chat', provider: 'openai', host: 'eu.api.openai.com', dataClassification: 'internal' }] } }, resource: {} });
    expect(runGuardrail(gdprOnly, GuardrailPolicy.fromSpec({ jurisdiction: 'EU', frameworks: ['gdpr'], maxContentLogRetentionDays: 30 }), { rules: [findRule('LCG-PRV-006')!], today: '2026-11-25' }).report.findings).toEqual([]);
  });

  test('THEN twelve months after a 29 February ends on 28 February', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
  });
});

describe('LCG-PRV-003 from the day the BAA is signed', () => {
  test.each([
    ['the day it is signed', '2026-11-25', []],
    ['the day before', '2026-11-24', ['evidence.baa']],
  ])('GIVEN PHI to OpenAI under a BAA signed 2026-11-25, on %s THEN it is %p', (_, today, expected) => {
    expect(findingsAt('LCG-PRV-003', { baa: { signed: '2026-11-25', reference: 'BAA' } }, today, 'us-hipaa', 'phi')).toEqual(expected);
  });
});
