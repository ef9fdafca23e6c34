/**
 * What the guardrail reads of an input, and what it does not: the resource
 * types the facts layer reads, the types that cannot carry prompts,
 * responses, model choices or their logs (out of scope), and the family of
 * every other type, so that a resource nobody read is reported as not
 * inspected instead of passing silently.
 */
import { llmProviders, resourceCoverage } from '../catalogs';
import type { Resource } from '../core/graph';
import { Reference, Unresolved, textOf, walkKeys } from '../core/values';
import { AZAPI, CFN, TF_AWS, TF_AZURE, TF_GOOGLE } from './resource-types';
import { azapiType } from './azure';

/** The family of a resource the guardrail does not read: `ai` services host, route or store model calls. */
export type ResourceFamily = 'ai' | 'logging' | 'identity' | 'storage' | 'compute' | 'custom' | 'terraform-module' | 'nested-stack' | 'other';

/** The pseudo type under which the Terraform reader records a `module` block it does not expand. */
export const TERRAFORM_MODULE_TYPE = 'module';

/**
 * The types the facts layer reads (on top of those the rules name): log
 * plumbing, callers, companions, and the serving endpoints the provider
 * catalog names (a SageMaker endpoint is a self-hosted model LCG-PRV-002 asks
 * to declare, and its configuration's data capture LCG-PRV-008 judges).
 */
export const FACT_TYPES: ReadonlySet<string> = new Set<string>([
  ...Object.values(CFN),
  ...Object.values(TF_AWS),
  ...Object.values(TF_AZURE),
  ...Object.values(TF_GOOGLE),
  ...llmProviders().providers.flatMap((provider) => provider.resourceTypes ?? []),
]);

/** The Azure types the facts layer reads through `azapi_resource`; any other azapi resource is not read. */
const AZAPI_READ_TYPES: ReadonlySet<string> = new Set([AZAPI.cognitiveAccount, AZAPI.cognitiveDeployment].map((type) => type.toLowerCase()));

/**
 * Whether the rules and facts read a resource of a type they name: every
 * resource of its type, except `azapi_resource`, which is read only for the
 * Azure types above (an azapi Machine Learning workspace is not).
 */
export function readsResource(resource: Resource, knownTypes: ReadonlySet<string>): boolean {
  // A template deployment is read for where it is; AI resources inside its template are not read.
  if (deployedTemplate(resource) === 'ai') return false;
  if (resource.type === AZAPI.resource) {
    const declared = azapiType(resource);
    return declared !== undefined && AZAPI_READ_TYPES.has(declared.toLowerCase());
  }
  return knownTypes.has(resource.type) || FACT_TYPES.has(resource.type);
}

/** Types that only run what their provisioners say (`local-exec`, `remote-exec`): out of scope unless a provisioner creates AI resources. */
export const PROVISIONER_TYPES: readonly string[] = ['null_resource', 'terraform_data'];

/** Types whose own arguments decide what the guardrail reads of them: read one by one, never by type alone. */
export function readOneByOne(type: string): boolean {
  return PROVISIONER_TYPES.includes(type) || TEMPLATE_DEPLOYMENTS[type] !== undefined;
}

/** What a provisioner command that creates or changes AI resources says: the clouds' AI command lines with a verb that changes something (not `show`, `list`, `get`). */
const AI_PROVISIONER_COMMAND = /\baz\s+(?:cognitiveservices|ml|openai)\b[^\n;&|]*\s(?:create|update|deploy|set|import)\b|\baws(?:\s+--?[\w-]+(?:[ =](?!-)\S+)?)*\s+(?:bedrock[a-z-]*|sagemaker)\s+(?:create|put|update|import|start)-|\bgcloud\s+(?:(?:alpha|beta)\s+)?ai\s+[^\n;&|]*\s(?:create|deploy|update|deploy-model|import|upload)\b/i;

/** A REST call that creates or changes something (`az rest --method put`, `curl -X PATCH`), on one line. */
const REST_CALL = /\b(?:az\s+rest|curl)\b/i;
const CHANGING_METHOD = /(?:--method|--request|-X|-m)\s*[= ]?\s*['"]?(?:put|patch|post)\b/i;
/** What a call to an AI service's control plane names: Azure AI namespaces, Vertex AI, Bedrock, SageMaker hosts, or an AI resource of the configuration whose id it interpolates. */
const AI_CONTROL_PLANE = /Microsoft\.(?:CognitiveServices|MachineLearningServices)|aiplatform\.googleapis\.com|bedrock(?:-agent)?\.[a-z0-9-]+\.amazonaws\.com|api\.sagemaker\.|\b(?:azurerm_cognitive_|azurerm_ai_|azurerm_machine_learning_|google_vertex_ai_|aws_bedrock|aws_sagemaker_)/i;
/** A template deployment (`az deployment group create`) whose line names an AI service: what it deploys is not in the configuration. */
const AI_TEMPLATE_COMMAND = /\baz\s+deployment\s+(?:group|sub|mg|tenant)\s+create\b.*(?:--template-file|--template-uri|--template-spec|\s-f|\s-u)[ =]\S*(?:openai|cognitive|aiservices|ai-services|machinelearning|machine-learning|foundry)/i;
/** Calls that use or read an AI service without changing it: model calls, key listings (a POST that changes nothing). */
const DATA_PLANE_CALL = /\/(?:listKeys|chat\/completions|completions|embeddings|responses|invoke(?:-with-response-stream)?|converse(?:-stream)?)\b|:(?:generateContent|streamGenerateContent|predict|rawPredict|embedContent|countTokens)\b/i;

/** Whether one command line creates or changes AI resources. */
function changesAi(line: string): boolean {
  return AI_PROVISIONER_COMMAND.test(line) || AI_TEMPLATE_COMMAND.test(line) || (REST_CALL.test(line) && CHANGING_METHOD.test(line) && AI_CONTROL_PLANE.test(line) && !DATA_PLANE_CALL.test(line));
}

/**
 * Resources that deploy a template the configuration holds as text (an AWS
 * CloudFormation stack or stack set, an Azure ARM template deployment, a
 * Google Deployment Manager deployment), and the arguments that hold it.
 */
const TEMPLATE_DEPLOYMENTS: { readonly [type: string]: readonly string[] } = {
  aws_cloudformation_stack: ['template_body'],
  aws_cloudformation_stack_set: ['template_body'],
  azurerm_resource_group_template_deployment: ['template_content'],
  azurerm_subscription_template_deployment: ['template_content'],
  azurerm_management_group_template_deployment: ['template_content'],
  azurerm_tenant_template_deployment: ['template_content'],
  azurerm_template_deployment: ['template_body'],
  google_deployment_manager_deployment: ['target'],
};

/** The resource types of AI services, as CloudFormation, ARM and Deployment Manager templates name them. */
const AI_TEMPLATE_TYPE = /AWS::(?:Bedrock|BedrockAgentCore|SageMaker|QBusiness|Kendra|Lex|Comprehend)::|Microsoft\.(?:CognitiveServices|MachineLearningServices|Search|BotService)\/|aiplatform/i;

/**
 * Whether a template deployment's template, as the configuration holds it,
 * names AI resource types: what it deploys there is read by no rule.
 */
export function deployedTemplate(resource: Resource): 'ai' | undefined {
  const keys = TEMPLATE_DEPLOYMENTS[resource.type];
  if (keys === undefined) return undefined;
  let ai = false;
  for (const key of keys) {
    const value = resource.properties[key];
    if (value === undefined || value === null) continue;
    walkKeys([[value, '']], (_key, child) => {
      const text = typeof child === 'string' ? child : child instanceof Unresolved || child instanceof Reference ? child.expression : undefined;
      if (text !== undefined && AI_TEMPLATE_TYPE.test(text)) ai = true;
      return text !== undefined;
    });
    if ((typeof value === 'string' || value instanceof Unresolved) && AI_TEMPLATE_TYPE.test(typeof value === 'string' ? value : value.expression)) ai = true;
  }
  return ai ? 'ai' : undefined;
}

/** Whether a resource's provisioners run a command that creates or changes AI resources (an `az cognitiveservices account deployment create`). */
export function provisionsAi(resource: Resource): boolean {
  if (!PROVISIONER_TYPES.includes(resource.type)) return false;
  const provisioner = resource.properties.provisioner;
  if (provisioner === undefined) return false;
  // Each command as written (a heredoc keeps its lines: one line's `show` and the next line's `create` are two commands).
  let found = false;
  walkKeys([[provisioner, '']], (_key, child) => {
    const text = typeof child === 'string' ? child : child instanceof Unresolved || child instanceof Reference ? child.expression : undefined;
    if (text !== undefined && text.split('\n').some(changesAi)) found = true;
    return text !== undefined;
  });
  return found;
}

/** Whether a resource cannot carry prompts, responses, model choices or their logs: its type is out of scope, and no provisioner or template of it creates AI resources. */
export function isOutOfScopeResource(resource: Resource): boolean {
  return !provisionsAi(resource) && deployedTemplate(resource) !== 'ai' && isOutOfScope(resource.type);
}

/** Whether a type cannot carry prompts, responses, model choices or their logs. */
export function isOutOfScope(type: string): boolean {
  const { outOfScope } = resourceCoverage();
  return outOfScope.exact.includes(type) || outOfScope.prefixes.some((prefix) => type.startsWith(prefix));
}

/** The family of a resource, by its type (and, for azapi resources, by the Azure type they declare). */
export function resourceFamily(resource: Resource): ResourceFamily {
  if (resource.type === TERRAFORM_MODULE_TYPE) return 'terraform-module';
  if (resource.unread !== undefined) return 'nested-stack';
  const catalog = resourceCoverage();
  if (resource.type.startsWith('azapi_')) {
    const declared = textOf(resource.properties.type) ?? '';
    const match = catalog.azapiTypes.find((entry) => entry.namespaces.some((namespace) => declared.toLowerCase().startsWith(namespace.toLowerCase())));
    // An azapi resource whose type is known only at plan time may be any Azure service.
    if (!match) return declared === '' || declared.includes('${') ? 'ai' : 'other';
    return match.family as ResourceFamily;
  }
  if (provisionsAi(resource) || deployedTemplate(resource) === 'ai') return 'ai';
  const family = catalog.families.find((entry) => entry.prefixes.some((prefix) => resource.type.startsWith(prefix)));
  return (family?.family as ResourceFamily | undefined) ?? 'other';
}
