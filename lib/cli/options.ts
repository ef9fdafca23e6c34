/** Option handling the CLI commands share. */
import { InputError } from '../core/errors';
import { policyFromProjectContext } from '../gate/policy-lookup';
import { GuardrailPolicy } from '../policy/policy';
import type { CliIo } from './io';

/** `YYYY-MM-DD`. */
export function isIsoDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text);
}

/** The policy of `--policy` (a preset or a file relative to the working directory), else the project's cdk.json/cdktf.json context. */
export function policyOption(command: string, reference: string | undefined, io: CliIo): GuardrailPolicy {
  const policy = reference !== undefined ? GuardrailPolicy.load(reference, io.cwd) : policyFromProjectContext(io.cwd);
  if (!policy) throw new InputError(`${command}: no policy given`, 'pass --policy eu|us-hipaa|soc2|<file>, or set "llm-guardrail:policy" in cdk.json context');
  return policy;
}
