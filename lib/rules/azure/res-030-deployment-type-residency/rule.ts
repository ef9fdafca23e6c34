import { describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { deploymentSkuName, judgeDeploymentType, regionalDeploymentTypes } from '../../../analysis/azure';
import { resolveResource } from '../../../analysis/resolve';
import { TF_AZURE } from '../../../analysis/resource-types';
import { COMPLIANT, ResourceRule } from '../../rule';

/**
 * Azure pins an OpenAI account to a region, but the deployment type decides
 * where prompts are processed. Judged from `sku.name` of each
 * `azurerm_cognitive_deployment` against the account's region and data zone.
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
  resourceTypes: [TF_AZURE.cognitiveDeployment],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, context) {
    const { policy } = context;
    const account = resolveResource(context, resource.properties.cognitive_account_id, [TF_AZURE.cognitiveAccount]);
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
        found: `sku.name = ${describeValue(skuName)}`,
        expected: verdict.expected,
        fix:
          verdict.status === 'unverifiable' && !accountKnown && typeof skuName === 'string'
            ? 'declare the account in the same configuration and set cognitive_account_id to its id'
            : `set sku.name to ${regionalDeploymentTypes()
                .map((name) => `"${name}"`)
                .join(' or ')}`,
        attribute: 'sku.name',
        ...(verdict.status === 'unverifiable' ? { cannotVerify: true } : {}),
      },
    ];
  },
};
