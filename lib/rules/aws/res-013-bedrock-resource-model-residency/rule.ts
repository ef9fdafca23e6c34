import { judgeModelChoice } from '../../../analysis/bedrock';
import { ModelChoice, MODEL_CHOOSING_TYPES, SERVICE_INTEGRATION_TYPES, modelChoicesOf } from '../../../analysis/model-choices';
import type { AnalysisContext } from '../../../analysis/context';
import type { Resource } from '../../../core/graph';
import { Reference, Unresolved, describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule, Violation } from '../../rule';

/** Aliases send what they are called with to the agent or flow they name: the property that names it. */
const ALIAS_TARGETS: { readonly [type: string]: string } = {
  'AWS::Bedrock::AgentAlias': 'AgentId',
  'AWS::Bedrock::FlowAlias': 'FlowArn',
  aws_bedrockagent_agent_alias: 'agent_id',
};

/**
 * The models, profiles and guardrail profiles Bedrock resources choose for
 * themselves — an agent's foundation model, a knowledge base's embedding
 * model, a data source's parsing model, flow and prompt nodes, a guardrail's
 * cross-Region profile — process data inside the jurisdiction. These choices
 * need no IAM grant in the app (the service role may be imported), so they
 * are judged where they are written.
 */
export const bedrockResourceModelResidency: ResourceRule = {
  id: 'LCG-RES-013',
  title: 'Bedrock agents, knowledge bases, flows, prompts and guardrails choose in-jurisdiction models',
  category: 'residency',
  severity: 'error',
  rationale:
    'An agent, a knowledge base (its embedding model), a data source (its parsing model), a flow or prompt node and a guardrail with a cross-Region profile send the data they handle to the model or profile they name. A global. or out-of-jurisdiction profile, or a model ARN in another region, moves prompts, documents and retrieved chunks out of the jurisdiction (a GDPR Chapter V transfer) even when no IAM statement of the app names that model.',
  remediation:
    'Name a foundation model in an allowed region (a bare model id runs in the resource\'s own region) or an inference or guardrail profile whose every destination region is allowed; never a global. profile.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: [...MODEL_CHOOSING_TYPES.cloudformation, ...MODEL_CHOOSING_TYPES.terraform, ...Object.keys(ALIAS_TARGETS)],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, context) {
    const aliasOf = ALIAS_TARGETS[resource.type];
    if (aliasOf !== undefined) return aliasViolation(resource, aliasOf, context);
    return modelChoicesOf(resource, context).flatMap((choice) => choiceViolation(choice, context, `${resource.type} "${resource.id}"`));
  },
};

/**
 * An alias of an agent or flow the app defines is judged with it (the agent's
 * or flow's own model choices); an alias of one the app does not define sends
 * prompts to models nobody can read here.
 */
function aliasViolation(resource: Resource, property: string, { graph, policy }: AnalysisContext): Violation[] {
  const target = resource.properties[property];
  const ofTheApp = target instanceof Reference ? graph.get(target.target) !== undefined : target instanceof Unresolved && target.references.some((key) => graph.get(key) !== undefined);
  if (ofTheApp) return [];
  return [
    {
      message: `Cannot verify where ${resource.type} "${resource.id}" processes prompts: it routes them to ${property === 'FlowArn' ? 'a flow' : 'an agent'} the app does not define (${property} = ${describeValue(target)}), whose models cannot be read.`,
      found: `${property} = ${describeValue(target)}`,
      expected: `an alias of ${property === 'FlowArn' ? 'a flow' : 'an agent'} the app defines, whose models are in ${policy.describeResidency('aws')}`,
      fix: `define the ${property === 'FlowArn' ? 'flow' : 'agent'} in the app and reference it, or acknowledge LCG-RES-013 citing the review of the shared ${property === 'FlowArn' ? 'flow' : 'agent'}`,
      attribute: property,
      cannotVerify: true,
    },
  ];
}

/** The finding for one model choice that leaves the jurisdiction or cannot be read; none when it is allowed. */
export function choiceViolation(choice: ModelChoice, { policy }: AnalysisContext, who: string): Violation[] {
  const verdict = judgeModelChoice(choice.target, policy);
  if (verdict.status !== 'denied' && verdict.status !== 'unverifiable') return [];
  const what = choice.setting === 'bedrock' ? 'uses' : SERVICE_INTEGRATION_TYPES.has(choice.resource.type) ? 'is configured with' : 'hands its code';
  return [
    {
      message: verdict.status === 'denied' ? `${who} ${what} ${verdict.problem} (${choice.attribute}).` : `Cannot verify where ${who} processes prompts: ${choice.attribute} is ${verdict.problem}.`,
      found: `${choice.attribute} = ${choice.target.text}`,
      expected: `models, inference profiles and regions whose every processing region is in ${policy.describeResidency('aws')}`,
      fix: verdict.fix,
      attribute: choice.attribute,
      ...(verdict.status === 'unverifiable' ? { cannotVerify: true } : {}),
      subject: choice.target.kind === 'resource' ? choice.target.resource.key : choice.target.text,
    },
  ];
}
