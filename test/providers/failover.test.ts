/** LCG-PRV-007: a fallback is judged against its primary on every axis, and each weaker axis names both members. */
import { findings, tfGraph } from '../support/rules';

const primary = { name: 'chat-primary', provider: 'openai', host: 'eu.api.openai.com', dataClassification: 'phi', evidence: { baa: { signed: '2026-01-10', reference: 'BAA' }, zeroRetention: { approved: '2026-03-10', reference: 'ZDR' } } };
const judge = (...declarations: object[]) => findings('LCG-PRV-007', tfGraph({ '//': { 'llm-guardrail': { providers: [primary, ...declarations] } }, resource: {} }), 'us-hipaa').map((finding) => [finding.attribute, finding.message]);

describe('LCG-PRV-007 failover with equal posture', () => {
  test('GIVEN a fallback to Cohere THEN jurisdiction, BAA, retention and training are each named with both members', () => {
    const axes = judge({ name: 'backup', provider: 'cohere', host: 'api.cohere.com', dataClassification: 'phi', fallbackFor: 'chat-primary' });
    expect(axes.map(([axis]) => axis)).toEqual(['jurisdiction', 'BAA', 'retention', 'training']);
    for (const [, message] of axes) expect(message).toMatch(/"backup".*"chat-primary"/);
  });

  test('GIVEN a fallback that names no declared primary THEN it says so', () => {
    expect(judge({ name: 'backup', provider: 'openai', host: 'eu.api.openai.com', dataClassification: 'phi', fallbackFor: 'chat-main' })).toEqual([['fallbackFor', expect.stringMatching(/^"backup" is declared as the fallback of "chat-main", which is not declared. /)]]);
  });

  test('GIVEN a fallback with the primary\'s posture THEN it passes', () => {
    expect(judge({ ...primary, name: 'backup', fallbackFor: 'chat-primary' })).toEqual([]);
  });
});
