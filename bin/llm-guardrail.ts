#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { REPORT_FORMATS, ReportFormat, checkPath, packageVersion, policyFromProjectContext, renderReport } from '../lib/gate/check';
import { InputError } from '../lib/core/errors';
import { GuardrailPolicy } from '../lib/policy/policy';

/** Exit codes: distinct, documented in the README. */
const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_UNUSABLE_INPUT = 2;

const USAGE = `Usage: llm-guardrail <command> [options]

Commands:
  check <path>   Judge a cdk.out, cdktf.out, CloudFormation template, Terraform JSON or plan JSON
  rules          List the rules (id, severity, category, title)
  regions <cloud> [--jurisdiction <code>]
                 List the catalog's aws, azure or google locations with their countries
                 (only those inside the jurisdiction when given)
  docs <path>    Write the data-flow documentation; --check <dir> exits 1 when a committed copy is stale (see docs --help)
  help           Show this help

Options for check:
  --policy <preset|file>   eu, us-hipaa, soc2, or a .json/.yaml policy file
                           (default: "llm-guardrail:policy" in ./cdk.json or ./cdktf.json context)
  --format <format>        text (default), json, sarif or junit
  --output <file>          write the report to a file instead of stdout
  --today <YYYY-MM-DD>     date used for acknowledgement expiry (default: today, UTC)

Exit codes: 0 no error-level finding, 1 error-level findings, 2 input or policy unusable.`;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE + '\n');
    return command === undefined ? EXIT_UNUSABLE_INPUT : EXIT_OK;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(packageVersion() + '\n');
    return EXIT_OK;
  }
  if (command === 'rules') return listRules();
  if (command === 'regions') return listRegions(rest);
  if (command === 'docs') return (require('../lib/cli/docs') as typeof import('../lib/cli/docs')).runDocsCommand(rest);
  if (command !== 'check') throw new InputError(`unknown command "${command}"`, 'use one of: check, rules, regions, docs, help');

  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { policy: { type: 'string' }, format: { type: 'string' }, output: { type: 'string' }, today: { type: 'string' } },
    });
  } catch (error) {
    throw new InputError(`check: ${(error as Error).message.split('\n')[0]}`, 'see `llm-guardrail help`');
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new InputError(`check: expected one path, got ${positionals.length}`, 'llm-guardrail check cdk.out --policy eu');
  const format = (values.format ?? 'text') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new InputError(`check: unknown format "${values.format}"`, `use one of: ${REPORT_FORMATS.join(', ')}`);
  if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) throw new InputError(`check: --today must be YYYY-MM-DD, found "${values.today}"`, 'e.g. --today 2026-01-31');

  const policy = values.policy !== undefined ? GuardrailPolicy.load(values.policy) : policyFromProjectContext(process.cwd());
  if (!policy) throw new InputError('check: no policy given', 'pass --policy eu|us-hipaa|soc2|<file>, or set "llm-guardrail:policy" in cdk.json context');

  const report = checkPath(positionals[0], policy, { today: values.today });
  const rendered = renderReport(report, format, { color: format === 'text' && !values.output && process.stdout.isTTY === true && !process.env.NO_COLOR });
  if (values.output) {
    try {
      createDirectory(path.dirname(path.resolve(values.output)));
      fs.writeFileSync(values.output, rendered);
    } catch (error) {
      throw new InputError(`check: cannot write ${values.output} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'choose a writable path');
    }
    process.stderr.write(`${report.summary.errors} error(s), ${report.summary.warnings} warning(s); report written to ${values.output}\n`);
  } else {
    process.stdout.write(rendered);
  }
  return report.summary.errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Creates a directory and its missing parents one level at a time. Node's
 * `mkdirSync(…, { recursive: true })` spins forever on some file systems
 * (a path under /proc answers ENOENT to every attempt); here the first
 * failure is final and reaches the user as one line.
 */
function createDirectory(directory: string): void {
  if (fs.existsSync(directory)) return;
  const parent = path.dirname(directory);
  if (parent !== directory) createDirectory(parent);
  fs.mkdirSync(directory);
}

function listRegions(args: string[]): number {
  const catalogs = require('../lib/catalogs') as typeof import('../lib/catalogs');
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { jurisdiction: { type: 'string' } } });
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
    process.stdout.write(`${code.padEnd(22)} ${(info.countries.join('/') || 'anywhere').padEnd(12)} ${info.name}\n`);
  }
  return EXIT_OK;
}

function listRules(): number {
  const { ALL_RULES } = require('../lib/rules') as typeof import('../lib/rules');
  for (const rule of ALL_RULES) {
    process.stdout.write(`${rule.id}  ${rule.severity.padEnd(7)}  ${rule.category.padEnd(10)}  ${rule.title}${rule.deprecated ? ' (deprecated)' : ''}\n`);
  }
  return EXIT_OK;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof InputError) {
    process.stderr.write(`llm-guardrail: ${error.line}\n`);
    process.exitCode = EXIT_UNUSABLE_INPUT;
  } else {
    // A bug, not bad input: still one line, with a way to get the detail.
    process.stderr.write(`llm-guardrail: internal error: ${(error as Error).message} (set LLM_GUARDRAIL_DEBUG=1 for details and report it)\n`);
    if (process.env.LLM_GUARDRAIL_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = 3;
  }
}
