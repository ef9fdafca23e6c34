import * as path from 'path';
import { parseArgs } from 'util';
import { policyFromProjectContext } from '../gate/check';
import { InputError } from '../core/errors';
import { evaluate } from '../engine/evaluate';
import { loadInput } from '../input/load';
import { GuardrailPolicy } from '../policy/policy';
import { DATA_FLOW_FILES, renderDataFlowDocs, staleDataFlowFiles, writeDataFlowDocs } from '../docs';

export const DOCS_USAGE = `Usage: llm-guardrail docs <path> [--policy <preset|file>] [--out <dir>] [--check <committed-dir>] [--today <YYYY-MM-DD>]

Writes the data-flow documentation (${DATA_FLOW_FILES.join(', ')}) of a cdk.out, cdktf.out,
CloudFormation template, Terraform JSON or plan JSON.

  --policy <preset|file>   eu, us-hipaa, soc2, or a .json/.yaml policy file
                           (default: "llm-guardrail:policy" in ./cdk.json or ./cdktf.json context)
  --out <dir>              where to write the files (default: the current directory; with --check: nothing is written)
  --check <committed-dir>  compare with the committed copy instead: exit 1 when it is stale
  --today <YYYY-MM-DD>     date used for acknowledgement expiry (default: today, UTC)

Exit codes: 0 written or up to date, 1 committed copy stale, 2 input or policy unusable.`;

const EXIT_OK = 0;
const EXIT_STALE = 1;
const EXIT_UNUSABLE_INPUT = 2;

/** `llm-guardrail docs …`: returns the exit code; unusable input is one line on stderr. */
export function runDocsCommand(argv: readonly string[]): number {
  try {
    return docs(argv);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`llm-guardrail: ${error.line}\n`);
    return EXIT_UNUSABLE_INPUT;
  }
}

function docs(argv: readonly string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { policy: { type: 'string' }, out: { type: 'string' }, check: { type: 'string' }, today: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new InputError(`docs: ${(error as Error).message.split('\n')[0]}`, 'see `llm-guardrail docs --help`');
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(DOCS_USAGE + '\n');
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new InputError(`docs: expected one path, got ${positionals.length}`, 'llm-guardrail docs cdk.out --policy eu --out docs');
  if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) throw new InputError(`docs: --today must be YYYY-MM-DD, found "${values.today}"`, 'e.g. --today 2026-01-31');

  const policy = values.policy !== undefined ? GuardrailPolicy.load(values.policy) : policyFromProjectContext(process.cwd());
  if (!policy) throw new InputError('docs: no policy given', 'pass --policy eu|us-hipaa|soc2|<file>, or set "llm-guardrail:policy" in cdk.json context');

  const input = positionals[0];
  const { graph } = loadInput(input);
  const report = evaluate(graph, policy, { today: values.today });
  const documents = renderDataFlowDocs(graph, policy, report);

  if (values.out !== undefined || values.check === undefined) {
    const directory = values.out ?? '.';
    try {
      writeDataFlowDocs(directory, documents);
    } catch (error) {
      throw new InputError(`docs: cannot write to ${directory} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'choose a writable --out directory');
    }
    process.stdout.write(`Wrote ${DATA_FLOW_FILES.map((file) => path.join(directory, file)).join(', ')}\n`);
  }
  if (values.check === undefined) return EXIT_OK;

  const stale = staleDataFlowFiles(values.check, documents);
  if (stale.length > 0) {
    process.stderr.write(
      `llm-guardrail: data-flow documentation in ${values.check} is stale (${stale.join(', ')} missing or different) (fix: llm-guardrail docs ${input} --out ${values.check}${values.policy !== undefined ? ` --policy ${values.policy}` : ''}, and commit the result)\n`,
    );
    return EXIT_STALE;
  }
  process.stdout.write(`Data-flow documentation in ${values.check} is up to date\n`);
  return EXIT_OK;
}
