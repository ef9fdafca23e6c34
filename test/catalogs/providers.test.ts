/**
 * The posture catalog of external LLM providers: every fact of every
 * offering has a status (or "unknown") and the vendor page it comes from,
 * the catalog is dated, and `llm-guardrail providers` prints it.
 */
import { llmProviders } from '../../lib/catalogs';
import { runCliInProcess } from '../support/cli';

const { asOf, providers } = llmProviders();
const offerings = providers.flatMap((provider) => provider.offerings.map((offering) => [offering.id, offering] as const));
const FACTS = ['baa', 'attestations', 'residency', 'retention', 'training'] as const;

describe('the provider posture catalog', () => {
  test('THEN it is dated, and holds the providers compliance teams compare', () => {
    expect(asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(providers.map((provider) => provider.id)).toEqual(['openai', 'anthropic', 'cohere', 'mistral', 'together', 'huggingface', 'self-hosted', 'other']);
  });

  test.each(offerings)('GIVEN %s THEN every fact has a status and the vendor page it comes from', (_, offering) => {
    for (const fact of FACTS) {
      const entry = offering[fact] as { source: string; status?: string };
      expect([fact, /^https:\/\/[\w.-]+\//.test(`${entry.source}/`) || entry.source === 'not-applicable']).toEqual([fact, true]);
    }
    expect(['available', 'not-available', 'unknown', 'not-applicable']).toContain(offering.baa.status);
    expect(['no', 'opt-in', 'unless-opted-out', 'yes', 'unknown']).toContain(offering.training.status);
    expect(['default', 'by-approval', 'not-offered', 'unknown']).toContain(offering.retention.zeroRetention);
    if (offering.attestations.status === 'known') expect(offering.attestations.items.length).toBeGreaterThan(0);
  });

  test('THEN ids, hosts and key names belong to one provider each', () => {
    const ids = offerings.map(([id]) => id);
    expect(new Set(ids).size).toBe(ids.length);
    const hosts = providers.flatMap((provider) => provider.hosts);
    expect(new Set(hosts).size).toBe(hosts.length);
    const secrets = providers.flatMap((provider) => provider.secretNames);
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  test('THEN what the vendors\' own pages show is encoded as they show it (spot checks), and the rest is unknown', () => {
    const byId = Object.fromEntries(offerings);
    expect(byId['openai/api'].residency.options.map((option) => option.hosts)).toEqual([['eu.api.openai.com']]);
    expect(byId['anthropic/api'].residency.options.map((option) => option.jurisdiction)).toEqual(['US']);
    expect(byId['cohere/api'].training.status).toBe('unless-opted-out');
    expect([byId['mistral/experiment'].training.status, byId['mistral/scale'].training.status]).toEqual(['yes', 'no']);
    expect(byId['anthropic/api'].attestations.status).toBe('unknown');
  });
});

describe('llm-guardrail providers', () => {
  test('GIVEN no option THEN it prints one row per offering and the catalog date', () => {
    const result = runCliInProcess(['providers']);
    expect(result.status).toBe(0);
    for (const [id] of offerings) expect(result.stdout).toMatch(new RegExp(`^${id.replace('/', '\\/')}\\s`, 'm'));
    expect(result.stdout).toContain(`As of ${asOf}`);
  });

  test('GIVEN --format json THEN it prints the catalog with every source', () => {
    const result = runCliInProcess(['providers', '--format', 'json']);
    expect(JSON.parse(result.stdout)).toEqual(llmProviders());
  });

  test('GIVEN an unknown format THEN it exits 2 with one line', () => {
    const result = runCliInProcess(['providers', '--format', 'csv']);
    expect({ status: result.status, lines: result.stderr.trim().split('\n').length }).toEqual({ status: 2, lines: 1 });
  });
});
