/**
 * The commands that talk to AWS: `verify aws` (what is deployed against what
 * the app declares) and `catalog refresh aws` (the inference-profile catalog
 * read from the account). They use the AWS SDK's default credentials and
 * endpoints, and change nothing in the account.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { InputError } from '../core/errors';
import { loadInput } from '../input/load';
import { packageVersion } from '../gate/version';
import { REPORT_FORMATS, ReportFormat, renderReport } from '../reports';
import { useInferenceProfileCatalog } from '../catalogs';
import { verifyAws } from '../verify/aws';
import { refreshInferenceProfileCatalog } from '../verify/catalog-refresh';
import { CliIo, EXIT, colorWanted } from './io';
import { isIsoDay, policyOption } from './options';

export async function verifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { policy: { type: 'string' }, account: { type: 'string' }, format: { type: 'string' }, output: { type: 'string' }, today: { type: 'string' }, catalog: { type: 'string' } },
    });
  } catch (error) {
    throw new InputError(`verify: ${(error as Error).message.split('\n')[0]}`, 'llm-guardrail verify aws cdk.out --policy eu');
  }
  const [cloud, input, ...extra] = parsed.positionals;
  if (cloud !== 'aws') throw new InputError(`verify: expected "aws" and a path, found ${JSON.stringify(parsed.positionals.join(' '))}`, 'llm-guardrail verify aws cdk.out --policy eu');
  if (input === undefined || extra.length > 0) throw new InputError(`verify aws: expected one path, got ${parsed.positionals.length - 1}`, 'llm-guardrail verify aws cdk.out --policy eu');
  const { values } = parsed;
  const format = (values.format ?? 'text') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new InputError(`verify: unknown format "${values.format}"`, `use one of: ${REPORT_FORMATS.join(', ')}`);
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) throw new InputError(`verify: --account must be 12 digits, found "${values.account}"`, 'the account of the credentials in use');
  if (values.today !== undefined && !isIsoDay(values.today)) throw new InputError(`verify: --today must be YYYY-MM-DD, found "${values.today}"`, 'e.g. --today 2026-01-31');
  const policy = policyOption('verify', values.policy, io);
  useInferenceProfileCatalog(values.catalog !== undefined ? path.resolve(io.cwd, values.catalog) : policy.inferenceProfileCatalog);
  const { graph } = loadInput(path.resolve(io.cwd, input));
  const report = await verifyAws(graph, policy, { account: values.account, today: values.today });
  if (report.otherAccounts.length > 0) io.stderr(`llm-guardrail: the app also invokes Bedrock in ${report.otherAccounts.join(', ')}: not verified with these credentials (run verify again with their credentials and --account)\n`);
  const rendered = renderReport(report, format, { color: format === 'text' && !values.output && colorWanted(io), toolVersion: packageVersion(), root: io.cwd });
  if (values.output) {
    fs.mkdirSync(path.dirname(path.resolve(io.cwd, values.output)), { recursive: true });
    fs.writeFileSync(path.resolve(io.cwd, values.output), rendered);
  } else io.stdout(rendered);
  return report.summary.errors > 0 ? EXIT.findings : EXIT.ok;
}

export async function catalogCommand(args: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: { regions: { type: 'string' }, out: { type: 'string' }, today: { type: 'string' } } });
  } catch (error) {
    throw new InputError(`catalog: ${(error as Error).message.split('\n')[0]}`, 'llm-guardrail catalog refresh aws --regions eu-central-1,eu-west-1 --out inference-profiles.json');
  }
  const [verb, cloud, ...extra] = parsed.positionals;
  if (verb !== 'refresh' || cloud !== 'aws' || extra.length > 0) throw new InputError(`catalog: expected "refresh aws", found ${JSON.stringify(parsed.positionals.join(' '))}`, 'llm-guardrail catalog refresh aws --regions eu-central-1,eu-west-1');
  const regions = (parsed.values.regions ?? '').split(',').map((region) => region.trim()).filter((region) => region !== '');
  if (regions.length === 0 || !regions.every((region) => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))) throw new InputError(`catalog refresh aws: --regions must list AWS regions, found ${JSON.stringify(parsed.values.regions ?? '')}`, '--regions eu-central-1,eu-west-1');
  const today = parsed.values.today ?? new Date().toISOString().slice(0, 10);
  if (!isIsoDay(today)) throw new InputError(`catalog: --today must be YYYY-MM-DD, found "${today}"`, 'e.g. --today 2026-01-31');
  const catalog = await refreshInferenceProfileCatalog(regions, today);
  const text = JSON.stringify(catalog, null, 2) + '\n';
  if (parsed.values.out === undefined) {
    io.stdout(text);
    return EXIT.ok;
  }
  const target = path.resolve(io.cwd, parsed.values.out);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, target);
  io.stderr(`Wrote ${parsed.values.out}: ${Object.keys(catalog.geographies).length} geographies from ${regions.length} region(s)\n`);
  return EXIT.ok;
}
