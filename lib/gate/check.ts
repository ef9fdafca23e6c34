import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../core/errors';
import { EvaluateOptions, Report, evaluate } from '../engine/evaluate';
import { loadInput, InputKind } from '../input/load';
import { GuardrailPolicy } from '../policy/policy';
import { renderJson } from '../reports/json';
import { renderJunit } from '../reports/junit';
import { renderSarif } from '../reports/sarif';
import { renderText } from '../reports/text';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Context key (cdk.json, cdktf.json or `-c`) naming the policy: a preset or a file path. */
export const POLICY_CONTEXT_KEY = 'llm-guardrail:policy';

/** Checks a synthesized output (or a template, Terraform JSON or plan) against a policy. */
export function checkPath(inputPath: string, policy: GuardrailPolicy, options: EvaluateOptions = {}): Report & { kind: InputKind } {
  const { kind, graph } = loadInput(inputPath);
  return { ...evaluate(graph, policy, options), kind };
}

/** Renders a report in one of the supported formats. */
export function renderReport(report: Report, format: ReportFormat, options: { color?: boolean } = {}): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, packageVersion());
    case 'junit':
      return renderJunit(report);
    default:
      return renderText(report, options);
  }
}

/**
 * The policy named in a project's `cdk.json` or `cdktf.json` context
 * (`"context": { "llm-guardrail:policy": "eu" }`), resolved relative to it.
 */
export function policyFromProjectContext(directory: string): GuardrailPolicy | undefined {
  for (const file of ['cdk.json', 'cdktf.json']) {
    const full = path.join(directory, file);
    if (!fs.existsSync(full)) continue;
    let parsed: { context?: { [key: string]: unknown } };
    try {
      parsed = JSON.parse(fs.readFileSync(full, 'utf8'));
    } catch (error) {
      throw new InputError(`${full}: invalid JSON (${(error as Error).message})`, 'fix the file');
    }
    const reference = parsed.context?.[POLICY_CONTEXT_KEY];
    if (reference === undefined) continue;
    if (typeof reference !== 'string') throw new InputError(`${full}: context "${POLICY_CONTEXT_KEY}" must be a preset name or a file path`, 'e.g. "eu" or "policy/eu.yaml"');
    return GuardrailPolicy.load(reference, directory);
  }
  return undefined;
}

let version: string | undefined;
export function packageVersion(): string {
  if (!version) {
    const candidates = [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', 'package.json')];
    const file = candidates.find((candidate) => fs.existsSync(candidate));
    version = file ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version : '0.0.0';
  }
  return version;
}
