/** `llm-guardrail rules`, `regions` and `providers`: the rule registry, the location catalogs and the provider posture catalog as tables. */
import { parseArgs } from 'util';
import * as catalogs from '../catalogs';
import { InputError } from '../core/errors';
import { ALL_RULES } from '../rules';
import { CliIo, EXIT } from './io';

export function listRules(io: CliIo): number {
  for (const rule of ALL_RULES) {
    io.stdout(`${rule.id}  ${rule.severity.padEnd(7)}  ${rule.category.padEnd(10)}  ${rule.title}${rule.deprecated ? ' (deprecated)' : ''}\n`);
  }
  return EXIT.ok;
}

export function listRegions(args: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: { jurisdiction: { type: 'string' } } });
  } catch (error) {
    throw new InputError(`regions: ${(error as Error).message.split('\n')[0]}`, 'llm-guardrail regions aws --jurisdiction EU');
  }
  const [cloud] = parsed.positionals;
  if (cloud !== 'aws' && cloud !== 'azure' && cloud !== 'google') throw new InputError(`regions: expected a cloud (aws, azure or google), found ${JSON.stringify(cloud ?? '')}`, 'llm-guardrail regions aws');
  const jurisdiction = parsed.values.jurisdiction?.toUpperCase();
  if (jurisdiction !== undefined && !catalogs.jurisdictionCodes().includes(jurisdiction)) {
    throw new InputError(`regions: unknown jurisdiction "${parsed.values.jurisdiction}"`, `use one of: ${catalogs.jurisdictionCodes().join(', ')}`);
  }
  for (const code of catalogs.locationCodes(cloud)) {
    if (jurisdiction && !catalogs.locationInJurisdiction(cloud, code, jurisdiction)) continue;
    const info = catalogs.lookupLocation(cloud, code)!;
    io.stdout(`${code.padEnd(22)} ${(info.countries.join('/') || 'anywhere').padEnd(12)} ${info.name}\n`);
  }
  return EXIT.ok;
}

/** `llm-guardrail providers [--format text|json]`: the posture of each external provider offering, with the catalog's date. */
export function listProviders(args: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: false, options: { format: { type: 'string' } } });
  } catch (error) {
    throw new InputError(`providers: ${(error as Error).message.split('\n')[0]}`, 'llm-guardrail providers --format json');
  }
  const format = parsed.values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new InputError(`providers: unknown format "${format}"`, 'use text or json');
  const catalog = catalogs.llmProviders();
  if (format === 'json') {
    io.stdout(`${JSON.stringify(catalog, null, 2)}\n`);
    return EXIT.ok;
  }
  const rows = catalog.providers.flatMap((provider) =>
    provider.offerings.map((offering) => [
      offering.id,
      offering.baa.status === 'available' ? 'yes' : offering.baa.status === 'not-available' ? 'no' : offering.baa.status,
      offering.attestations.status === 'known' ? offering.attestations.items.join('; ') : offering.attestations.status,
      [offering.residency.default, ...offering.residency.options.map((option) => `${option.jurisdiction} (${option.hosts.join(', ') || 'by configuration'})`)].join('; '),
      offering.retention.days === null && offering.retention.zeroRetention === 'default' ? 'none at a vendor' : `${offering.retention.days === null ? 'unknown' : `${offering.retention.days} days`}; zero retention ${offering.retention.zeroRetention}`,
      offering.training.status,
    ]),
  );
  const header = ['Offering', 'BAA', 'Attestations', 'Processing (default; options)', 'Provider retention', 'Trains on API data'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  io.stdout(`${line(header)}\n${line(widths.map((width) => '-'.repeat(width)))}\n${rows.map((row) => `${line(row)}\n`).join('')}`);
  io.stdout(`\nAs of ${catalog.asOf}; each fact with its source: llm-guardrail providers --format json. ${catalog.notes.join(' ')}\n`);
  return EXIT.ok;
}
