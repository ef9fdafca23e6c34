/** Builds Azure OpenAI stacks with the constructs, for construct and gate tests. */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AzureOpenAiEndpoint, AzureOpenAiEndpointProps } from '../../constructs/azure';
import { GuardrailPolicy } from '../../lib/policy/policy';

export const CUSTOMER_MANAGED_KEY = {
  keyVaultKeyId: 'https://acme-eu-keys.vault.azure.net/keys/openai',
  userAssignedIdentityId: '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/openai-cmk',
  identityClientId: '00000000-0000-0000-0000-000000000001',
};

/** Props of an endpoint that satisfies `eu` in westeurope, with overrides. */
export function euEndpointProps(overrides: Partial<AzureOpenAiEndpointProps> = {}): AzureOpenAiEndpointProps {
  return {
    name: 'acme-openai-eu',
    resourceGroupName: 'rg-llm-eu',
    location: 'westeurope',
    policy: GuardrailPolicy.preset('eu'),
    customerManagedKey: CUSTOMER_MANAGED_KEY,
    privateEndpoint: { subnetId: '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/llm' },
    deployments: [
      { name: 'chat', modelName: 'gpt-4o', modelVersion: '2024-08-06' },
      { name: 'embeddings', modelName: 'text-embedding-3-large', modelVersion: '1', deploymentType: 'Standard', capacity: 50 },
    ],
    ...overrides,
  };
}

/** A stack with an azurerm provider. */
export function azureStack(app: App, id = 'azure-eu'): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  return stack;
}

/** The stack's Terraform JSON `resource` section. */
export function resources(stack: TerraformStack): { [type: string]: { [name: string]: { [key: string]: unknown } } } {
  return (stack.toTerraform() as { resource: never }).resource;
}

/** The only resource of a type in a stack. */
export function only(stack: TerraformStack, type: string): { [key: string]: unknown } {
  const byName = resources(stack)[type] ?? {};
  const bodies = Object.values(byName);
  if (bodies.length !== 1) throw new Error(`expected one ${type}, found ${bodies.length}`);
  return bodies[0];
}

export function newEndpoint(stack: TerraformStack, overrides: Partial<AzureOpenAiEndpointProps> = {}): AzureOpenAiEndpoint {
  return new AzureOpenAiEndpoint(stack, 'openai', euEndpointProps(overrides));
}
