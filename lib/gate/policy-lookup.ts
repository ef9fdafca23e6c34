/**
 * How the gates and the CLI find the policy: given in code, named by
 * reference (a preset or a file), or named in the project's `cdk.json` /
 * `cdktf.json` context. One lookup, the same everywhere.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../core/errors';
import { parseJsonText } from '../core/json-text';
import { isJsonObject } from '../core/values';
import { GuardrailPolicy } from '../policy/policy';

/** Context key (cdk.json, cdktf.json or `-c`) naming the policy: a preset or a file path. */
export const POLICY_CONTEXT_KEY = 'llm-guardrail:policy';

/** Where a gate may find its policy, in the order it looks. */
export interface PolicySources {
  /** A policy built in code. */
  readonly policy?: unknown;
  /** A preset name or a policy file path (relative to the working directory). */
  readonly policyReference?: unknown;
  /** The `llm-guardrail:policy` context value of the app, if any. */
  readonly contextValue?: unknown;
  /** Who asks, for messages: `ComplianceGate`, `CdktfGuardrail`. */
  readonly where: string;
  /** How to fix a missing policy, for the message. */
  readonly fix: string;
}

/**
 * The policy of a gate: `policy`, else `policyReference`, else the context
 * value, else the context of ./cdk.json or ./cdktf.json. One clear
 * `InputError` when none is usable.
 */
export function resolvePolicy(sources: PolicySources): GuardrailPolicy {
  const { policy, policyReference, contextValue, where } = sources;
  if (policy !== undefined && policyReference !== undefined) throw new InputError(`${where}: both policy and policyReference are set`, 'pass one of them');
  if (policy !== undefined) {
    if (!(policy instanceof GuardrailPolicy)) {
      throw new InputError(`${where}: policy must be a GuardrailPolicy, found ${typeof policy === 'string' ? JSON.stringify(policy) : typeof policy}`, 'pass a preset name or file path as policyReference, or GuardrailPolicy.preset(...) as policy');
    }
    return policy;
  }
  if (policyReference !== undefined) {
    if (typeof policyReference !== 'string') throw new InputError(`${where}: policyReference must be a preset name or a file path`, 'e.g. "eu" or "policy/eu.yaml"');
    return GuardrailPolicy.load(policyReference);
  }
  if (contextValue !== undefined) {
    if (typeof contextValue !== 'string') throw new InputError(`context "${POLICY_CONTEXT_KEY}" must be a preset name or a file path, found ${JSON.stringify(contextValue)}`, 'e.g. "eu" or "policy/eu.yaml"');
    return GuardrailPolicy.load(contextValue);
  }
  // An app run directly (without the cdk or cdktf CLI) does not see its project file: read it here.
  const fromProject = policyFromProjectContext(process.cwd());
  if (fromProject) return fromProject;
  throw new InputError(`${where}: no LLM guardrail policy given`, sources.fix);
}

/**
 * The policy named in a project's `cdk.json` or `cdktf.json` context
 * (`"context": { "llm-guardrail:policy": "eu" }`), resolved relative to it.
 */
export function policyFromProjectContext(directory: string): GuardrailPolicy | undefined {
  for (const file of ['cdk.json', 'cdktf.json']) {
    const full = path.join(directory, file);
    if (!fs.existsSync(full)) continue;
    const { value, problem } = parseJsonText(fs.readFileSync(full, 'utf8'));
    if (problem !== undefined) throw new InputError(`${full}: invalid JSON (${problem})`, 'fix the file');
    const context = isJsonObject(value) && isJsonObject(value.context) ? value.context : {};
    const reference = context[POLICY_CONTEXT_KEY];
    if (reference === undefined) continue;
    if (typeof reference !== 'string') throw new InputError(`${full}: context "${POLICY_CONTEXT_KEY}" must be a preset name or a file path`, 'e.g. "eu" or "policy/eu.yaml"');
    return GuardrailPolicy.load(reference, directory);
  }
  return undefined;
}
