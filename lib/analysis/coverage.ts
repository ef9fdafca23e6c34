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
  if (resource.type === AZAPI.resource) {
    const declared = azapiType(resource);
    return declared !== undefined && AZAPI_READ_TYPES.has(declared.toLowerCase());
  }
  return knownTypes.has(resource.type) || FACT_TYPES.has(resource.type);
}

/** Types that only run what their provisioners say (`local-exec`, `remote-exec`): out of scope unless a provisioner creates AI resources. */
export const PROVISIONER_TYPES: readonly string[] = ['null_resource', 'terraform_data'];

/** What a provisioner command that creates or changes AI resources says: the clouds' AI command lines with a verb that changes something (not `show`, `list`, `get`). */
const AI_PROVISIONER_COMMAND = /\baz\s+(?:cognitiveservices|ml|openai)\b[^\n;&|]*\s(?:create|update|deploy|set|import)\b|\baws(?:\s+--?[\w-]+(?:[ =](?!-)\S+)?)*\s+(?:bedrock[a-z-]*|sagemaker)\s+(?:create|put|update|import|start)-|\bgcloud\s+(?:(?:alpha|beta)\s+)?ai\s+[^\n;&|]*\s(?:create|deploy|update|deploy-model|import|upload)\b/i;

/** Whether a resource's provisioners run a command that creates or changes AI resources (an `az cognitiveservices account deployment create`). */
export function provisionsAi(resource: Resource): boolean {
  if (!PROVISIONER_TYPES.includes(resource.type)) return false;
  const provisioner = resource.properties.provisioner;
  if (provisioner === undefined) return false;
  // Each command as written (a heredoc keeps its lines: one line's `show` and the next line's `create` are two commands).
  let found = false;
  walkKeys([[provisioner, '']], (_key, child) => {
    const text = typeof child === 'string' ? child : child instanceof Unresolved || child instanceof Reference ? child.expression : undefined;
    if (text !== undefined && AI_PROVISIONER_COMMAND.test(text)) found = true;
    return text !== undefined;
  });
  return found;
}

/** Whether a resource cannot carry prompts, responses, model choices or their logs: its type is out of scope, and no provisioner of it creates AI resources. */
export function isOutOfScopeResource(resource: Resource): boolean {
  return !provisionsAi(resource) && isOutOfScope(resource.type);
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
  if (provisionsAi(resource)) return 'ai';
  const family = catalog.families.find((entry) => entry.prefixes.some((prefix) => resource.type.startsWith(prefix)));
  return (family?.family as ResourceFamily | undefined) ?? 'other';
}
