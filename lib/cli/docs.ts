import * as path from 'path';
import { parseArgs } from 'util';
import { InputError } from '../core/errors';
import { DATA_FLOW_FILES, DataFlowModel, renderDataFlowDocs, staleDataFlowFiles, writeDataFlowDocs } from '../docs';
import { diffDataFlow, readDataFlowJson, renderDiffMarkdown } from '../docs/diff';
import { runGuardrail } from '../gate/run';
import type { ResourceGraph } from '../core/graph';
import { loadInput, loadInputAsync } from '../input/load';
import { withDeclarationsFile } from '../input/provider-declarations';
import { CliIo, EXIT } from './io';
import { isIsoDay, policyOption } from './options';

const DOCS_USAGE = `Usage: llm-guardrail docs <path> [--policy <preset|file>] [--out <dir>] [--check <committed-dir>] [--diff <old data-flow.json|dir>] [--today <YYYY-MM-DD>] [--var <name>=<value>] [--var-file <file>] [--providers <file>]

Writes the data-flow documentation (${DATA_FLOW_FILES.join(', ')}) of a cdk.out, cdktf.out,
CloudFormation template, Terraform JSON, plan JSON or directory of Terraform files.

  --policy <preset|file>   eu, us-hipaa, soc2, or a .json/.yaml policy file
                           (default: "llm-guardrail:policy" in ./cdk.json or ./cdktf.json context)
  --out <dir>              where to write the files (default: the current directory; with --check: nothing is written)
  --check <committed-dir>  compare with the committed copy instead: exit 1 when it is stale
  --diff <file|dir>        print what changed since that data-flow.json (or the one in that folder) as
                           Markdown for a pull-request comment: hops, nodes, posture and findings
  --today <YYYY-MM-DD>     date used for acknowledgement expiry (default: today, UTC)
  --var, --var-file        Terraform variables, for a directory of .tf files (as for check)
  --providers <file>       external LLM providers the app calls (as for check): nodes with their posture

Exit codes: 0 written or up to date, 1 committed copy stale, 2 input or policy unusable.`;

/** `llm-guardrail docs …`: returns the exit code; unusable input throws `InputError`. */
export function docsCommand(argv: readonly string[], io: CliIo, loaded?: ResourceGraph): number {
  const { values, positionals } = parseDocs(argv);
  if (values.help) {
    io.stdout(DOCS_USAGE + '\n');
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new InputError(`docs: expected one path, got ${positionals.length}`, 'llm-guardrail docs cdk.out --policy eu --out docs');
  if (values.today !== undefined && !isIsoDay(values.today)) throw new InputError(`docs: --today must be YYYY-MM-DD, found "${values.today}"`, 'e.g. --today 2026-01-31');

  const policy = policyOption('docs', values.policy, io);
  const input = positionals[0];
  const graph = withDeclarationsFile(loaded ?? loadInput(path.resolve(io.cwd, input)).graph, values.providers === undefined ? undefined : path.resolve(io.cwd, values.providers));
  const { context, report } = runGuardrail(graph, policy, { today: values.today, ...(values.catalog !== undefined ? { catalog: path.resolve(io.cwd, values.catalog) } : {}) });
  // The HTML page inlines the Mermaid bundle, an optional peer: without it the Markdown and JSON are written alone.
  const html = mermaidInstalled();
  if (!html) io.stderr('llm-guardrail: data-flow.html is not written: it needs the mermaid package (npm install --save-dev mermaid)\n');
  const documents = renderDataFlowDocs(context, report, { html, env: io.env });

  if (values.diff !== undefined) {
    const before = readDataFlowJson(path.resolve(io.cwd, values.diff));
    const after = JSON.parse(documents['data-flow.json']!) as DataFlowModel;
    const compared = `${values.diff}${before.provenance ? ` (input ${before.provenance.input.digest.slice(0, 19)}…, generated ${before.provenance.generatedAt})` : ''}`;
    io.stdout(renderDiffMarkdown(diffDataFlow(before, after), compared));
    if (values.out === undefined && values.check === undefined) return EXIT.ok;
  }

  if (values.out !== undefined || (values.check === undefined && values.diff === undefined)) {
    const directory = values.out ?? '.';
    try {
      writeDataFlowDocs(path.resolve(io.cwd, directory), documents);
    } catch (error) {
      throw new InputError(`docs: cannot write to ${directory} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'choose a writable --out directory');
    }
    io.stdout(`Wrote ${DATA_FLOW_FILES.filter((file) => documents[file] !== undefined).map((file) => path.join(directory, file)).join(', ')}\n`);
  }
  if (values.check === undefined) return EXIT.ok;

  const stale = staleDataFlowFiles(path.resolve(io.cwd, values.check), documents);
  if (stale.length > 0) {
    io.stderr(
      `llm-guardrail: data-flow documentation in ${values.check} is stale (${stale.join(', ')} missing or different) (fix: llm-guardrail docs ${input} --out ${values.check}${values.policy !== undefined ? ` --policy ${values.policy}` : ''}, and commit the result)\n`,
    );
    return EXIT.findings;
  }
  io.stdout(`Data-flow documentation in ${values.check} is up to date\n`);
  return EXIT.ok;
}

/** Whether the optional mermaid package can be loaded. */
function parseDocs(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        policy: { type: 'string' },
        out: { type: 'string' },
        check: { type: 'string' },
        today: { type: 'string' },
        catalog: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        var: { type: 'string', multiple: true },
        'var-file': { type: 'string', multiple: true },
        providers: { type: 'string' },
        diff: { type: 'string' },
      },
    });
  } catch (error) {
    throw new InputError(`docs: ${(error as Error).message.split('\n')[0]}`, 'see `llm-guardrail docs --help`');
  }
}

/** `docs` as the command runs it: a directory of .tf files too, with its variables. */
export async function docsCommandAsync(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseDocs(argv);
  if (values.help || positionals.length !== 1) return docsCommand(argv, io);
  const { graph } = await loadInputAsync(path.resolve(io.cwd, positionals[0]), { varFiles: values['var-file'], vars: values.var, cwd: io.cwd, env: io.env });
  return docsCommand(argv, io, graph);
}

function mermaidInstalled(): boolean {
  try {
    require.resolve('mermaid/dist/mermaid.min.js');
    return true;
  } catch {
    return false;
  }
}

