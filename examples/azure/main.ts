/**
 * Synthesizes the EU Azure OpenAI example through the compliance gate:
 * `npx tsx examples/azure/main.ts` (or `cdktf synth` in this folder) writes
 * cdktf.out with the Terraform JSON and, per stack, llm-guardrail-report.json.
 */
import { App } from 'cdktf';
import { CdktfGuardrail, synthesizeOrExit } from '../../aspects/cdktf';
import { POLICY_CONTEXT_KEY } from '../../lib/gate/policy-lookup';
import { EuOpenAiStack } from './workload';

// The policy comes from cdktf.json's context under `cdktf synth`; `eu` otherwise.
const app = new App({ context: { [POLICY_CONTEXT_KEY]: 'eu' } });
new EuOpenAiStack(app, 'llm-eu');
CdktfGuardrail.enable(app);
synthesizeOrExit(app);
