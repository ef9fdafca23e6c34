import { APPSYNC_DATA_SOURCE_TYPES, CODE_TYPES, modelChoicesOf } from '../../../analysis/model-choices';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule } from '../../rule';
import { choiceViolation } from '../res-013-bedrock-resource-model-residency/rule';

/**
 * Model ids, inference-profile ids and Bedrock regions handed to code —
 * environment variables of Lambda functions, ECS containers and AgentCore
 * runtimes, the ModelId of state-machine tasks — and to the managed services
 * that call Bedrock directly (an API Gateway method's bedrock-runtime
 * integration, an AppSync resolver on a Bedrock runtime data source) are in
 * the jurisdiction. Code often chooses its model there, and IAM may allow more
 * than it uses.
 */
export const codeModelResidency: ResourceRule = {
  id: 'LCG-RES-014',
  title: 'Model ids and Bedrock regions handed to code are in the jurisdiction',
  category: 'residency',
  severity: 'error',
  rationale:
    'Applications usually pick their model from configuration: MODEL_ID, a list of model ids, a BEDROCK_REGION or MODEL_REGION, a state-machine task\'s ModelId, the model and region of an API Gateway integration URI (arn:aws:apigateway:<region>:bedrock-runtime:path/model/<id>/invoke), the model an AppSync resolver\'s code asks its Bedrock runtime data source for. A us. or global. profile id or a region outside the jurisdiction there sends prompts abroad even when IAM is written correctly or is not readable. A model setting whose value is known only at run time (a parameter, a secret, a path parameter the API\'s caller fills, resolver code kept in S3) cannot be shown to comply.',
  remediation:
    'Set model ids to foundation models or inference profiles whose every destination region is allowed, and Bedrock region settings to allowed regions; keep them literal in the app so that the gate can read them.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  // AppSync data sources are read to find the resolvers that invoke Bedrock through them.
  resourceTypes: [...Object.values(CODE_TYPES), ...APPSYNC_DATA_SOURCE_TYPES],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, context) {
    const choices = modelChoicesOf(resource, context);
    if (choices.length === 0) return undefined;
    return choices.flatMap((choice) => choiceViolation(choice, context, `${resource.type} "${resource.id}"`));
  },
};
