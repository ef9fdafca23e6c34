/** What both gates accept and write: the same options under the same names, the findings report and the data-flow documentation next to the synthesized output. */
import * as fs from 'fs';
import * as path from 'path';
import type { AnalysisContext } from '../analysis/context';
import { InputError } from '../core/errors';
import { writeDataFlowDocumentation } from '../docs';
import type { Report } from '../engine/evaluate';
import type { GuardrailPolicy } from '../policy/policy';
import type { Rule } from '../rules/rule';
import { renderJson } from '../reports/json';

/** The report file both gates write, unless told otherwise. */
export const GATE_REPORT_FILE = 'llm-guardrail-report.json';

/** Options both gates accept, under the same names. */
export interface GateOptions {
  /**
   * The policy, built in code (`GuardrailPolicy.preset('eu')`, `GuardrailPolicy.fromSpec({...})`).
   * Give this or `policyReference`, not both.
   * @default - `policyReference`, else the context value `llm-guardrail:policy` (cdk.json, cdktf.json or `-c`)
   */
  readonly policy?: GuardrailPolicy;
  /**
   * A preset name (`eu`, `us-hipaa`, `soc2`) or a path to a JSON/YAML policy
   * file, relative to the current directory.
   * @default - the context value `llm-guardrail:policy` (cdk.json, cdktf.json or `-c`)
   */
  readonly policyReference?: string;
  /**
   * Rules to run.
   * @default - every rule of the registry
   */
  readonly rules?: readonly Rule[];
  /**
   * The day acknowledgement expiry is judged against, as YYYY-MM-DD.
   * @default - the current UTC date
   */
  readonly today?: string;
  /**
   * Name of the JSON findings report written next to the synthesized output.
   * @default "llm-guardrail-report.json"
   */
  readonly reportFileName?: string;
  /**
   * Whether to write the data-flow documentation (data-flow.md and .json)
   * next to the synthesized output at every synthesis.
   * @default true
   */
  readonly dataFlowDocs?: boolean;
  /**
   * Whether that documentation includes the self-contained HTML page (about
   * 3.6 MB, Mermaid inlined). `llm-guardrail docs` always writes it.
   * @default false
   */
  readonly dataFlowHtml?: boolean;
}

/** Writes the report and (unless turned off) the documentation into `directory`; one clear line when it cannot. */
export function writeGateOutputs(directory: string, context: AnalysisContext, report: Report, options: GateOptions, where: string): void {
  const reportFile = path.join(directory, options.reportFileName ?? GATE_REPORT_FILE);
  try {
    fs.mkdirSync(directory, { recursive: true });
    fs.writeFileSync(reportFile, renderJson(report));
  } catch (error) {
    throw new InputError(`${where}: cannot write ${reportFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'check that the output directory is writable');
  }
  if (options.dataFlowDocs === false) return;
  try {
    // The directory is the synthesis output, which this synthesis owns (see FileSetOptions).
    writeDataFlowDocumentation(directory, context, report, { html: options.dataFlowHtml === true, directory: 'owned' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    const file = (error as NodeJS.ErrnoException).path ?? directory;
    throw new InputError(`${where}: cannot write the data-flow documentation ${file} (${code})`, 'check that the output directory is writable, or set dataFlowDocs: false');
  }
}
