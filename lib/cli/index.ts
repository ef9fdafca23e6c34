/**
 * The `llm-guardrail` command line, in process: `run(argv, io)` returns the
 * exit code and writes only through `io`, so tests and tools can call it
 * without starting a process. `bin/llm-guardrail.ts` is a thin wrapper.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { InputError } from '../core/errors';
import { printable } from '../core/printable';
import type { Report } from '../engine/evaluate';
import type { ResourceGraph } from '../core/graph';
import { RunOptions, runGuardrail } from '../gate/run';
import { InputKind, TemplateEnvironment, loadInput, loadInputAsync } from '../input/load';
import { withDeclarationsFile } from '../input/provider-declarations';
import { isTerraformDirectory } from '../input/terraform-hcl';
import { packageVersion } from '../gate/version';
import { REPORT_FORMATS, ReportFormat, renderReport } from '../reports';
import { EVIDENCE_USAGE } from './evidence';
import { CliIo, EXIT, colorWanted } from './io';
import { isIsoDay, policyOption } from './options';

export { EXIT, processIo } from './io';
export type { CliIo } from './io';


/** The options of `check`, in the general help and in `check --help`. */
const CHECK_OPTIONS = `  --policy <preset|file>   eu, us-hipaa, soc2, or a .json/.yaml policy file
                           (default: "llm-guardrail:policy" in ./cdk.json or ./cdktf.json context)
  --format <format>        text (default), json, sarif or junit
  --output <file>          write the report to a file instead of stdout
  --sarif <file>           also write the report as SARIF to a file (CI: text in the log, SARIF for code scanning)
  --junit <file>           also write the report as JUnit XML to a file
  --json <file>            also write the report as JSON to a file
  --sarif-root <dir>       the directory SARIF file URIs are relative to (default: the working directory;
                           code scanning wants the repository root)
  --var <name>=<value>     a Terraform variable, for a directory of .tf files (repeatable; after
                           defaults, TF_VAR_*, terraform.tfvars and *.auto.tfvars, as in Terraform)
  --var-file <file>        a .tfvars file, for a directory of .tf files (repeatable)
  --providers <file>       the external LLM providers the app calls, with their evidence (YAML or JSON:
                           providers: [{ name, provider, offering, host or region, dataClassification, evidence }])
  --today <YYYY-MM-DD>     the evaluation date: acknowledgement expiry and evidence freshness
                           (default: today, UTC; --as-of is the same option)
  --catalog <file>         an inference-profile catalog from \`catalog refresh aws\`, used before the built-in one
  --region <region>        the region a single CloudFormation or SAM template deploys to (a cdk.out names its own)
  --account <id>           the account a single template deploys to`;

export const USAGE = `Usage: llm-guardrail <command> [options]

Commands:
  check <path>   Judge a cdk.out, cdktf.out, CloudFormation or SAM template (JSON or YAML), Terraform JSON, plan JSON or .tf directory
  rules          List the rules (id, severity, category, title)
  providers [--format text|json]
                 The posture catalog of external LLM providers (BAA, attestations, residency,
                 retention, training), dated, each fact with its source
  evidence [<path>] [--providers <file>] [--format text|json|ical]
                 The declared evidence about external providers, soonest to go stale first
  regions <cloud> [--jurisdiction <code>]
                 List the catalog's aws, azure or google locations with their countries
                 (only those inside the jurisdiction when given)
  docs <path>    Write the data-flow documentation; --check <dir> exits 1 when a committed copy is stale (see docs --help)
  verify aws <path> [--account <id>]
                 Compare what the account has deployed (invocation logging, data retention mode,
                 where inference profiles route) with what the app declares; same options as check
  catalog refresh aws --regions <r1,r2> [--out <file>]
                 Read the inference-profile catalog from the account; use it with --catalog <file>
                 or the policy key inferenceProfileCatalog
  help           Show this help

Options for check:
${CHECK_OPTIONS}

Every command takes --help. Colours: on a terminal unless NO_COLOR is set; FORCE_COLOR=1 forces them, FORCE_COLOR=0 turns them off.

Exit codes: 0 no error-level finding, 1 error-level findings (docs --check: the committed copy is stale),
2 input, policy or arguments unusable, 3 internal error.`;

const EXIT_CODES = 'Exit codes: 0 no error-level finding, 1 error-level findings, 2 input, policy or arguments unusable, 3 internal error.';

/** What `<command> --help` prints. */
const COMMAND_USAGE: { readonly [command: string]: string } = {
  evidence: EVIDENCE_USAGE,
  check: `Usage: llm-guardrail check <path> [--policy <preset|file>] [--format text|json|sarif|junit] [--output <file>] [--sarif <file>] [--junit <file>] [--json <file>] [--sarif-root <dir>] [--var <name>=<value>] [--var-file <file>] [--providers <file>] [--today <YYYY-MM-DD>] [--catalog <file>] [--region <region>] [--account <id>]

Judges a cdk.out, cdktf.out, CloudFormation or SAM template (JSON or YAML), Terraform JSON, \`terraform show -json\`
plan, or a directory of Terraform files (.tf, .tf.json, .tofu) with its local modules and variables.

${CHECK_OPTIONS}

${EXIT_CODES}`,
  rules: `Usage: llm-guardrail rules

Lists the rules: id, severity, category, title. RULES.md has each rule's rationale, fix and examples.

Exit codes: 0.`,
  providers: `Usage: llm-guardrail providers [--format text|json]

The posture catalog of external LLM providers and offerings: BAA, attestations, where requests are processed and how
that is chosen, provider-side retention and zero retention, training on API data. Dated; "unknown" where the
vendor's own pages did not show a fact. --format json gives every fact with its source URL.

Exit codes: 0, or 2 for an unknown option or format.`,
  regions: `Usage: llm-guardrail regions aws|azure|google [--jurisdiction <code>]

Lists the catalog's locations of one cloud with their countries; only those inside the jurisdiction when given.

Exit codes: 0, or 2 for an unknown cloud or jurisdiction.`,
  verify: `Usage: llm-guardrail verify aws <path> [--policy <preset|file>] [--account <id>] [--format …] [--output <file>] [--today <YYYY-MM-DD>] [--catalog <file>]

Compares what the AWS account has deployed — invocation logging, the data retention mode, where the inference
profiles the app uses route — with what the app declares (read-only Bedrock calls with the SDK's default credentials).

  --account <id>           the account of the credentials, when the app invokes Bedrock in several

${EXIT_CODES}`,
  catalog: `Usage: llm-guardrail catalog refresh aws --regions <r1,r2> [--out <file>] [--today <YYYY-MM-DD>]

Reads the system-defined inference profiles of each region (ListInferenceProfiles) into a catalog file, to be
used before the built-in one with --catalog <file> or the policy key inferenceProfileCatalog.

Exit codes: 0, or 2 when the regions are missing or cannot be read.`,
};

/** Whether a command line asks for a command's help. */
function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/** Runs one command line; never throws: unusable input and bugs end as one line on stderr and an exit code. */
export function run(argv: readonly string[], io: CliIo): number {
  try {
    return command(asOfAsToday(argv), io);
  } catch (error) {
    return failed(error, io);
  }
}

/** Unusable input is one line and exit 2; a bug is one line, with a way to get the detail, and exit 3. */
function failed(error: unknown, io: CliIo): number {
  if (error instanceof InputError) {
    io.stderr(`llm-guardrail: ${printable(error.line)}\n`);
    return EXIT.unusableInput;
  }
  io.stderr(`llm-guardrail: internal error: ${printable((error as Error).message)} (set LLM_GUARDRAIL_DEBUG=1 for details and report it)\n`);
  if (io.env.LLM_GUARDRAIL_DEBUG) io.stderr(`${(error as Error).stack}\n`);
  return EXIT.internal;
}

/** `--as-of <date>` is `--today <date>`: the evaluation date, under the name evidence reviews use. */
function asOfAsToday(argv: readonly string[]): readonly string[] {
  return argv.map((argument) => (argument === '--as-of' ? '--today' : argument.startsWith('--as-of=') ? `--today=${argument.slice('--as-of='.length)}` : argument));
}

function command(argv: readonly string[], io: CliIo): number {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(USAGE + '\n');
    return name === undefined ? EXIT.unusableInput : EXIT.ok;
  }
  if (name === '--version' || name === '-v' || name === '-V' || name === 'version') {
    io.stdout(packageVersion() + '\n');
    return EXIT.ok;
  }
  if (Object.prototype.hasOwnProperty.call(COMMAND_USAGE, name) && wantsHelp(rest)) {
    io.stdout(COMMAND_USAGE[name] + '\n');
    return EXIT.ok;
  }
  switch (name) {
    case 'check':
      return check(rest, io);
    case 'rules':
      return (require('./catalog-commands') as typeof import('./catalog-commands')).listRules(io);
    case 'regions':
      return (require('./catalog-commands') as typeof import('./catalog-commands')).listRegions(rest, io);
    case 'providers':
      return (require('./catalog-commands') as typeof import('./catalog-commands')).listProviders(rest, io);
    case 'docs':
      // The documentation renderers load Mermaid for the HTML page: only when asked for.
      return (require('./docs') as typeof import('./docs')).docsCommand(rest, io);
  }
  if (name === 'verify' || name === 'catalog' || name === 'evidence') throw new InputError(`${name} runs only through runAsync (the llm-guardrail command)`, 'run llm-guardrail from a shell');
  throw new InputError(`unknown command "${name}"`, 'use one of: check, rules, regions, providers, evidence, docs, verify, catalog, help');
}

/**
 * Runs one command line, including the commands that talk to AWS (which are
 * asynchronous); never rejects: unusable input and bugs end as one line on
 * stderr and an exit code, as with {@link run}.
 */
export async function runAsync(given: readonly string[], io: CliIo): Promise<number> {
  const argv = asOfAsToday(given);
  const [name, ...rest] = argv;
  if (name === 'evidence' && !wantsHelp(rest)) {
    try {
      return await (require('./evidence') as typeof import('./evidence')).evidenceCommand(rest, io);
    } catch (error) {
      return failed(error, io);
    }
  }
  if ((name === 'check' || name === 'docs') && !wantsHelp(rest)) {
    try {
      return await (name === 'check' ? checkAsync(rest, io) : (require('./docs') as typeof import('./docs')).docsCommandAsync(rest, io));
    } catch (error) {
      return failed(error, io);
    }
  }
  if ((name !== 'verify' && name !== 'catalog') || wantsHelp(rest)) return run(argv, io);
  try {
    const live = require('./live') as typeof import('./live');
    return await (name === 'verify' ? live.verifyCommand(rest, io) : live.catalogCommand(rest, io));
  } catch (error) {
    return failed(error, io);
  }
}

interface CheckRequest {
  readonly values: { readonly [option: string]: string | readonly string[] | undefined } & {
    readonly policy?: string;
    readonly format?: string;
    readonly output?: string;
    readonly today?: string;
    readonly catalog?: string;
    readonly json?: string;
    readonly sarif?: string;
    readonly junit?: string;
    readonly 'sarif-root'?: string;
    readonly 'var-file'?: readonly string[];
    readonly var?: readonly string[];
    readonly providers?: string;
    readonly region?: string;
    readonly account?: string;
  };
  readonly input: string;
  readonly format: ReportFormat;
}

function parseCheck(args: readonly string[]): CheckRequest {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        policy: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string' },
        today: { type: 'string' },
        catalog: { type: 'string' },
        json: { type: 'string' },
        sarif: { type: 'string' },
        junit: { type: 'string' },
        'sarif-root': { type: 'string' },
        'var-file': { type: 'string', multiple: true },
        var: { type: 'string', multiple: true },
        providers: { type: 'string' },
        region: { type: 'string' },
        account: { type: 'string' },
      },
    });
  } catch (error) {
    throw new InputError(`check: ${(error as Error).message.split('\n')[0]}`, 'see `llm-guardrail help`');
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new InputError(`check: expected one path, got ${positionals.length}`, 'llm-guardrail check cdk.out --policy eu');
  const format = (values.format ?? 'text') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new InputError(`check: unknown format "${values.format}"`, `use one of: ${REPORT_FORMATS.join(', ')}`);
  if (values.today !== undefined && !isIsoDay(values.today)) throw new InputError(`check: --today must be YYYY-MM-DD, found "${values.today}"`, 'e.g. --today 2026-01-31');
  if (values.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(values.region)) throw new InputError(`check: --region must be an AWS region, found "${values.region}"`, 'e.g. --region eu-central-1');
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) throw new InputError(`check: --account must be a 12-digit AWS account id, found "${values.account}"`, 'e.g. --account 111122223333');
  return { values, input: positionals[0], format };
}

/** `check` in process (synthesized outputs; a directory of .tf files needs {@link runAsync}). */
function check(args: readonly string[], io: CliIo): number {
  const request = parseCheck(args);
  const policy = policyOption('check', request.values.policy, io);
  const { graph, kind } = loadInput(path.resolve(io.cwd, request.input), templateEnvironmentOption(request, io));
  const options = runOptions(request, io);
  return reportCheck(request, { ...runGuardrail(withDeclarations(graph, request, io), policy, options).report, kind }, io);
}

/** `check` as the command runs it: a directory of .tf files too, with its variables. */
async function checkAsync(args: readonly string[], io: CliIo): Promise<number> {
  const request = parseCheck(args);
  const policy = policyOption('check', request.values.policy, io);
  const { graph, kind } = await loadInputAsync(path.resolve(io.cwd, request.input), { varFiles: request.values['var-file'], vars: request.values.var, cwd: io.cwd, env: io.env }, templateEnvironmentOption(request, io));
  const options = runOptions(request, io);
  return reportCheck(request, { ...runGuardrail(withDeclarations(graph, request, io), policy, options).report, kind }, io);
}

/** `--region` and `--account` for a single template (a cdk.out or Terraform input has its own). */
function templateEnvironmentOption(request: CheckRequest, io: CliIo): TemplateEnvironment {
  const { region, account } = request.values;
  if (region === undefined && account === undefined) return {};
  let file = false;
  try {
    file = fs.statSync(path.resolve(io.cwd, request.input)).isFile();
  } catch {
    // loadInput says what is missing.
  }
  if (!file || /\.tf(vars)?$|\.tf\.json$/.test(request.input)) {
    throw new InputError(`check: --region and --account apply to a single CloudFormation or SAM template, and ${request.input} is not one`, 'drop them: a cdk.out names each stack\'s environment, and Terraform its provider region');
  }
  return { ...(region !== undefined ? { region } : {}), ...(account !== undefined ? { account } : {}) };
}

/** The graph with the providers of the `--providers` file. */
function withDeclarations(graph: ResourceGraph, request: CheckRequest, io: CliIo): ResourceGraph {
  return withDeclarationsFile(graph, request.values.providers === undefined ? undefined : path.resolve(io.cwd, request.values.providers));
}

function runOptions(request: CheckRequest, io: CliIo): RunOptions {
  const { values } = request;
  if ((values['var-file'] ?? []).length + (values.var ?? []).length > 0 && !isTerraformDirectory(path.resolve(io.cwd, request.input))) {
    throw new InputError(`check: --var and --var-file apply to a directory of .tf files, and ${request.input} is not one`, 'drop them, or pass the Terraform directory');
  }
  return { today: values.today, ...(values.catalog !== undefined ? { catalog: path.resolve(io.cwd, values.catalog) } : {}) };
}

function reportCheck(request: CheckRequest, report: Report & { readonly kind?: InputKind }, io: CliIo): number {
  const { values, format } = request;
  const root = path.resolve(io.cwd, values['sarif-root'] ?? '.');
  const rendered = renderReport(report, format, { color: format === 'text' && !values.output && colorWanted(io), toolVersion: packageVersion(), root });
  // CI keeps the text in its log and hands the other formats to code scanning or test reports: one run, every file.
  const extra = (['json', 'sarif', 'junit'] as const).flatMap((extraFormat) => (values[extraFormat] !== undefined ? [[extraFormat, values[extraFormat]] as const] : []));
  for (const [extraFormat, file] of extra) writeReportFile('check', io, file, renderReport(report, extraFormat, { color: false, toolVersion: packageVersion(), root }));
  if (values.output) {
    writeReportFile('check', io, values.output, rendered);
    io.stderr(`${report.summary.errors} error(s), ${report.summary.warnings} warning(s); report written to ${values.output}\n`);
  } else {
    io.stdout(rendered);
  }
  return report.summary.errors > 0 ? EXIT.findings : EXIT.ok;
}

function writeReportFile(command: string, io: CliIo, file: string, content: string): void {
  try {
    const target = path.resolve(io.cwd, file);
    createDirectory(path.dirname(target));
    fs.writeFileSync(target, content);
  } catch (error) {
    throw new InputError(`${command}: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'choose a writable path');
  }
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
