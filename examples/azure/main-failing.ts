/**
 * The same workload with one escape hatch, as a reviewer might find it in a
 * pull request: a stack-level override that switches the chat deployment to
 * GlobalStandard. `npx tsx examples/azure/main-failing.ts` must fail with
 * LCG-RES-030 naming llm-eu/openai/deployment-chat.
 */
import { App } from 'cdktf';
import { CdktfGuardrail, synthesizeOrExit } from '../../aspects/cdktf';
import { POLICY_CONTEXT_KEY } from '../../lib/gate/policy-lookup';
import { EuOpenAiStack } from './workload';

const app = new App({ context: { [POLICY_CONTEXT_KEY]: 'eu' } });
const stack = new EuOpenAiStack(app, 'llm-eu');
const chat = stack.endpoint.deployments[0];
stack.addOverride(`resource.azurerm_cognitive_deployment.${chat.friendlyUniqueId}.sku.name`, 'GlobalStandard');
CdktfGuardrail.enable(app);
synthesizeOrExit(app);
