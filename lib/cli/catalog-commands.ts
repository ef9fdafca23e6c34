/** `llm-guardrail rules` and `llm-guardrail regions`: the rule registry and the location catalogs as tables. */
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
