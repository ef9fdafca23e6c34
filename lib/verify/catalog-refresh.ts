/**
 * `llm-guardrail catalog refresh aws`: the inference-profile catalog read
 * from the account (ListInferenceProfiles, system-defined profiles) in the
 * regions asked for — which geography prefixes exist there, and the regions
 * their models route to — in the format of the built-in catalog, so that
 * `--catalog` or the policy's `inferenceProfileCatalog` can use it first.
 */
import { InferenceProfileSummary, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { inferenceGeography } from '../catalogs';
import { InputError } from '../core/errors';
import { parseArn } from '../analysis/arn';
import { ClientFactory, defaultClients } from './aws';

export interface RefreshedCatalog {
  readonly asOf: string;
  readonly source: readonly string[];
  readonly notes: readonly string[];
  readonly geographies: { readonly [prefix: string]: { readonly name: string; readonly destinationRegions: readonly string[]; readonly sourceRegions: readonly string[]; readonly anywhere: boolean } };
}

/** Reads the system-defined inference profiles of each region; a region that cannot be read is named in one line. */
export async function refreshInferenceProfileCatalog(regions: readonly string[], today: string, clients: ClientFactory = defaultClients): Promise<RefreshedCatalog> {
  const byPrefix = new Map<string, { destinations: Set<string>; sources: Set<string> }>();
  for (const region of regions) {
    const client = clients(region);
    let nextToken: string | undefined;
    let pages = 0;
    do {
      let page: { inferenceProfileSummaries?: InferenceProfileSummary[]; nextToken?: string };
      try {
        page = await client.send(new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED', maxResults: 1000, nextToken }));
      } catch (error) {
        throw new InputError(`catalog refresh aws: ListInferenceProfiles in ${region} failed: ${(error as Error).name}: ${(error as Error).message}`, 'check the credentials (bedrock:ListInferenceProfiles) and the region');
      }
      for (const profile of page.inferenceProfileSummaries ?? []) {
        const prefix = (profile.inferenceProfileId ?? '').split('.')[0];
        if (prefix === '') continue;
        let entry = byPrefix.get(prefix);
        if (!entry) byPrefix.set(prefix, (entry = { destinations: new Set(), sources: new Set() }));
        entry.sources.add(region);
        for (const model of profile.models ?? []) {
          const destination = parseArn(model.modelArn ?? '')?.region;
          if (destination) entry.destinations.add(destination);
        }
      }
      nextToken = page.nextToken;
      if (++pages > 100) throw new InputError(`catalog refresh aws: ListInferenceProfiles in ${region} returned more than 100 pages`, 'report it');
    } while (nextToken);
  }
  const geographies: { [prefix: string]: RefreshedCatalog['geographies'][string] } = {};
  for (const [prefix, entry] of [...byPrefix].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const known = inferenceGeography(prefix);
    geographies[prefix] = {
      name: known?.name ?? `${prefix} (read from the account)`,
      destinationRegions: [...entry.destinations].sort(),
      sourceRegions: [...entry.sources].sort(),
      // A global profile may route to any commercial region, whatever regions it listed today.
      anywhere: known?.anywhere ?? prefix === 'global',
    };
  }
  return {
    asOf: today,
    source: [`ListInferenceProfiles (system-defined profiles) in ${regions.join(', ')}, read by llm-guardrail catalog refresh aws`],
    notes: [
      'destinationRegions are the regions of the foundation-model ARNs each profile of the prefix lists, in the regions read; sourceRegions are the regions read that offer the prefix.',
      'Used before the built-in catalog for the prefixes it holds (--catalog, or the policy key inferenceProfileCatalog); refresh it when AWS changes routing.',
    ],
    geographies,
  };
}
