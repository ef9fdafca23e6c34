/**
 * An EU Azure OpenAI workload: an OpenAI account in West Europe reached over a
 * private endpoint, its stored data encrypted with a key of our own, model
 * deployments that keep prompts in the region, and an audit trail in a
 * workspace that keeps it a year.
 */
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AzureOpenAiEndpoint } from '../../constructs/azure';

export interface EuOpenAiStackProps {
  /**
   * Azure region of every resource.
   * @default "westeurope"
   */
  readonly location?: string;
}

export class EuOpenAiStack extends TerraformStack {
  readonly endpoint: AzureOpenAiEndpoint;

  constructor(scope: Construct, id: string, props: EuOpenAiStackProps = {}) {
    super(scope, id);
    const location = props.location ?? 'westeurope';
    new AzurermProvider(this, 'azurerm', { features: [{}] });
    const client = new DataAzurermClientConfig(this, 'client');
    const group = new ResourceGroup(this, 'group', { name: 'rg-llm-eu', location });

    // The key that encrypts what the account stores (uploaded files, fine-tuning data).
    const vault = new KeyVault(this, 'keys', {
      name: 'kv-llm-eu-acme',
      location,
      resourceGroupName: group.name,
      tenantId: client.tenantId,
      skuName: 'premium',
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: 90,
      rbacAuthorizationEnabled: true,
    });
    const key = new KeyVaultKey(this, 'openai-key', { name: 'openai', keyVaultId: vault.id, keyType: 'RSA-HSM', keySize: 3072, keyOpts: ['wrapKey', 'unwrapKey'] });
    const identity = new UserAssignedIdentity(this, 'openai-identity', { name: 'id-openai-eu', location, resourceGroupName: group.name });
    const keyAccess = new RoleAssignment(this, 'openai-key-access', { scope: vault.id, roleDefinitionName: 'Key Vault Crypto Service Encryption User', principalId: identity.principalId });

    // The private path applications use; public access stays off.
    const network = new VirtualNetwork(this, 'network', { name: 'vnet-llm-eu', location, resourceGroupName: group.name, addressSpace: ['10.20.0.0/16'] });
    const subnet = new Subnet(this, 'endpoints', { name: 'snet-endpoints', resourceGroupName: group.name, virtualNetworkName: network.name, addressPrefixes: ['10.20.1.0/24'] });
    const dns = new PrivateDnsZone(this, 'openai-dns', { name: 'privatelink.openai.azure.com', resourceGroupName: group.name });
    new PrivateDnsZoneVirtualNetworkLink(this, 'openai-dns-link', { name: 'openai', resourceGroupName: group.name, privateDnsZoneName: dns.name, virtualNetworkId: network.id });

    this.endpoint = new AzureOpenAiEndpoint(this, 'openai', {
      name: 'acme-openai-eu',
      resourceGroupName: group.name,
      location,
      customerManagedKey: { keyVaultKeyId: key.versionlessId, userAssignedIdentityId: identity.id, identityClientId: identity.clientId },
      privateEndpoint: { subnetId: subnet.id, privateDnsZoneIds: [dns.id] },
      deployments: [
        { name: 'chat', modelName: 'gpt-4o', modelVersion: '2024-08-06', capacity: 20 },
        { name: 'embeddings', modelName: 'text-embedding-3-large', modelVersion: '1', capacity: 50 },
      ],
      tags: { workload: 'llm-eu' },
    });
    // The account can only be created once its identity may use the key.
    this.endpoint.account.dependsOn = [keyAccess.fqn];

    new TerraformOutput(this, 'openai-endpoint', { value: this.endpoint.endpointUrl });
  }
}
