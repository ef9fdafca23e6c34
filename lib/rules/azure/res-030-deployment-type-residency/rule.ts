import type { Resource } from '../../../core/graph';
import { describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { DEPLOYMENT_TYPES, deploymentAccount, deploymentSkuName, isDeployment, judgeDeploymentType, regionalDeploymentTypes } from '../../../analysis/azure';
import { COMPLIANT, ResourceRule } from '../../rule';

/**
 * Azure pins an OpenAI account to a region, but the deployment type decides
 * where prompts are processed. Judged from the deployment type of each
 * `azurerm_cognitive_deployment` (`sku.name`, or azurerm 3.x `scale.type`) and
 * each azapi `Microsoft.CognitiveServices/accounts/deployments` (`body.sku.name`)
 * against the region and data zone of its account, in any of the three account shapes.
 */
export const azureDeploymentTypeResidency: ResourceRule = {
  id: 'LCG-RES-030',
  title: 'Azure OpenAI deployment types keep prompt processing inside the jurisdiction',
  category: 'residency',
  severity: 'error',
  rationale:
    'GlobalStandard, GlobalProvisionedManaged and GlobalBatch deployments may process prompts in any Azure region; DataZone types anywhere in the EU or US data zone; only Standard and ProvisionedManaged stay in the account region. No built-in Azure Policy restricts the deployment type, so a global default silently transfers prompts out of the jurisdiction (GDPR Chapter V).',
  remediation: 'Use a regional deployment type (sku.name "Standard" or "ProvisionedManaged"), or a DataZone type only where the data zone lies inside the jurisdiction.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries, CLAUSES.hipaaTransmission],
  resourceTypes: [...DEPLOYMENT_TYPES],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, context) {
    if (!isDeployment(resource)) return undefined;
    const { policy } = context;
    const account = deploymentAccount(context, resource);
    const accountKnown = account !== undefined;
    const skuName = deploymentSkuName(resource);
    const verdict = judgeDeploymentType(policy, skuName, accountKnown ? account.properties.location : undefined, accountKnown);
    if (verdict.status === 'allowed') return COMPLIANT;
    const where = accountKnown ? ` on account ${account.id} (location ${describeValue(account.properties.location)})` : '';
    return [
      {
        message:
          verdict.status === 'denied'
            ? `Deployment ${resource.id}${where} processes prompts outside the allowed jurisdiction: ${verdict.reason}.`
            : `Cannot verify where deployment ${resource.id}${where} processes prompts: ${verdict.reason}.`,
        found: `${skuAttribute(resource)} = ${describeValue(skuName)}`,
        expected: verdict.expected,
        fix:
          verdict.status === 'unverifiable' && !accountKnown && typeof skuName === 'string'
            ? `declare the account in the same configuration and set ${resource.type === 'azapi_resource' ? 'parent_id' : 'cognitive_account_id'} to its id`
            : `set ${skuAttribute(resource)} to ${regionalDeploymentTypes()
                .map((name) => `"${name}"`)
                .join(' or ')}`,
        attribute: skuAttribute(resource),
        ...(verdict.status === 'unverifiable' ? { cannotVerify: true } : {}),
      },
    ];
  },
};

/** Where a deployment writes its type: `sku.name`, azurerm 3.x `scale.type`, or azapi's `body.sku.name`. */
function skuAttribute(deployment: Resource): string {
  if (deployment.type === 'azapi_resource') return 'body.sku.name';
  return deployment.properties.sku === undefined && deployment.properties.scale !== undefined ? 'scale.type' : 'sku.name';
}
