/** `llm-guardrail evidence`: the declared evidence, soonest to go stale first, as text, JSON and iCalendar. */
import * as path from 'path';
import { runCliAsyncInProcess, runCliInProcess } from '../support/cli';
import { writeJson } from '../support/synth';

const ROOT = path.join(__dirname, '..', '..');
const PROVIDERS = path.join(ROOT, 'policy', 'providers.yaml');
const configuration = writeJson('main.tf.json', {
  '//': { 'llm-guardrail': { providers: [{ name: 'classify', provider: 'cohere', host: 'api.cohere.com', dataClassification: 'pii', evidence: { vendorReview: { date: '2026-06-01', reviewer: 'privacy-office' }, trainingOptOut: { date: '2026-04-01', reference: 'SEC-88' } } }] } },
  resource: {},
});

describe('llm-guardrail evidence', () => {
  test('GIVEN a configuration and a declarations file THEN every document is listed soonest first, stale ones marked, documents without expiry last', async () => {
    const result = await runCliAsyncInProcess(['evidence', configuration, '--providers', PROVIDERS, '--today', '2026-11-29']);
    expect(result.status).toBe(0);
    const rows = result.stdout.trim().split('\n').slice(1).map((line) => line.split(/\s{2,}/).slice(0, 4));
    expect(rows).toEqual([
      ['2026-08-30', 'STALE', 'classify', 'vendorReview'],
      ['2027-01-13', '45 days left', 'chat-fallback', 'vendorReview'],
      ['2027-04-30', '152 days left', 'reranker', 'soc2'],
      ['2027-06-30', '213 days left', 'chat-fallback', 'soc2'],
      ['no expiry', 'chat-fallback', 'dpa', 'DPA-OPENAI-2026'],
      ['no expiry', 'chat-fallback', 'zeroRetention', 'OPENAI-ZDR-118'],
      ['no expiry', 'classify', 'trainingOptOut', 'SEC-88'],
    ]);
  });

  test('GIVEN --format json THEN each document has its expiry and the reason for it', async () => {
    const result = await runCliAsyncInProcess(['evidence', '--providers', PROVIDERS, '--today', '2026-11-29', '--format', 'json']);
    const { today, evidence } = JSON.parse(result.stdout);
    expect(today).toBe('2026-11-29');
    expect(evidence[0]).toEqual({ declaration: 'chat-fallback', provider: 'openai', document: 'vendorReview', expires: '2027-01-13', basis: '90 days after the review on 2026-10-15' });
  });

  test('GIVEN --format ical THEN it is an RFC 5545 calendar: CRLF lines, one all-day event per expiring document, stable UIDs', async () => {
    const result = await runCliAsyncInProcess(['evidence', '--providers', PROVIDERS, '--today', '2026-11-29', '--format', 'ical']);
    expect(result.stdout.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const lines = result.stdout.split('\r\n');
    expect(lines.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(3);
    expect(lines.filter((line) => line.startsWith('DTSTART;VALUE=DATE:'))).toEqual(['DTSTART;VALUE=DATE:20270113', 'DTSTART;VALUE=DATE:20270430', 'DTSTART;VALUE=DATE:20270630']);
    expect(lines).toContain('UID:chat-fallback.vendorReview@llm-guardrail');
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
  });

  test.each([
    ['no input', ['evidence'], 'nothing to read'],
    ['an unknown format', ['evidence', '--providers', PROVIDERS, '--format', 'csv'], 'unknown format "csv"'],
    ['a date that is not one', ['evidence', '--providers', PROVIDERS, '--today', 'tomorrow'], '--today must be YYYY-MM-DD'],
  ])('GIVEN %s THEN exit 2 with one line', async (_, args, message) => {
    const result = await runCliAsyncInProcess(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('--as-of is the evaluation date, as --today', () => {
  test('GIVEN --as-of THEN check judges the evidence at that date, exactly as with --today', () => {
    const file = writeJson('as-of.tf.json', { '//': { 'llm-guardrail': { providers: [{ name: 'chat', provider: 'openai', host: 'eu.api.openai.com', dataClassification: 'pii', evidence: { vendorReview: { date: '2026-08-27', reviewer: 'privacy' } } }] } }, resource: {} });
    const stale = (args: string[]) => (JSON.parse(runCliInProcess(['check', file, '--policy', 'eu', '--format', 'json', ...args]).stdout).findings as { attribute?: string }[]).filter((finding) => finding.attribute === 'evidence.vendorReview').length;
    expect([stale(['--as-of', '2026-11-25']), stale(['--as-of=2026-11-26']), stale(['--today', '2026-11-26'])]).toEqual([0, 1, 1]);
  });
});
