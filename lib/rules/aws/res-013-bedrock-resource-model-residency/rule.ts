import { judgeModelChoice } from '../../../analysis/bedrock';
import { ModelChoice, MODEL_CHOOSING_TYPES, SERVICE_INTEGRATION_TYPES, modelChoicesOf } from '../../../analysis/model-choices';
import type { AnalysisContext } from '../../../analysis/context';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule, Violation } from '../../rule';

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
  resourceTypes: [...MODEL_CHOOSING_TYPES.cloudformation, ...MODEL_CHOOSING_TYPES.terraform],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, context) {
    return modelChoicesOf(resource, context).flatMap((choice) => choiceViolation(choice, context, `${resource.type} "${resource.id}"`));
  },
};

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
