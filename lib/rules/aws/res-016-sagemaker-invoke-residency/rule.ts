import { parseArn } from '../../../analysis/arn';
import { POLICY_HOLDER_TYPES } from '../../../analysis/iam';
import { describeLocation, judgeLocation } from '../../../analysis/locations';
import { CODE_TYPE_NAMES } from '../../../analysis/model-choices';
import { EndpointInvocation, runtimeHostRegion, sageMakerInvocations } from '../../../analysis/sagemaker';
import { Reference, Unresolved, Value, describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule, Violation } from '../../rule';

/** ARN resource types an invoke action acts on: endpoints and inference components (or a wildcard that covers them). */
const INVOKED = /^(endpoint|inference-component|\*.*|[a-z-]*\*)$/;

/**
 * A SageMaker endpoint serving a model (open weights, a fine-tuned model)
 * receives every prompt sent to it in its own region: IAM statements that
 * allow invoking endpoints, and runtime hosts handed to code, name only
 * endpoints in allowed regions. Endpoints the app defines are judged where
 * they are defined.
 */
export const sageMakerInvokeResidency: ResourceRule = {
  id: 'LCG-RES-016',
  title: 'SageMaker endpoints the app may invoke are in an allowed region',
  category: 'residency',
  severity: 'error',
  rationale:
    'A model served from a SageMaker endpoint processes each request in the endpoint\'s region. A grant of sagemaker:InvokeEndpoint on an endpoint in another region, on a region wildcard or on "*", or a runtime host of another region handed to code, lets prompts leave the jurisdiction (a GDPR Chapter V transfer) although every stack of the app is in an allowed region. An endpoint named only at deploy time cannot be shown to stay inside.',
  remediation: 'Grant invoke only on endpoint ARNs in allowed regions (or on endpoints the app defines), and hand code the runtime host of an allowed region.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: [...POLICY_HOLDER_TYPES, ...CODE_TYPE_NAMES],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, context) {
    const invocations = sageMakerInvocations(context, resource);
    if (invocations.length === 0) return undefined;
    const { policy, graph } = context;
    const violations: Violation[] = [];
    for (const invocation of invocations) {
      for (const target of invocation.targets) {
        const judged0 = judgeTarget(invocation, target, (value) => value.references.some((key) => graph.get(key) !== undefined));
        // A wildcard region limited by an aws:RequestedRegion condition reaches only the regions the condition names.
        const verdicts: TargetVerdict[] = judged0?.kind === 'every-region' && invocation.requestedRegions ? invocation.requestedRegions.map((region) => ({ kind: 'region', region })) : [judged0];
        for (const verdict of verdicts) {
        if (!verdict) continue;
        const what = invocation.kind === 'host' ? 'sends requests to a SageMaker runtime host' : `allows ${invocation.actions.join(', ')} on`;
        if (verdict.kind === 'every-region' || verdict.kind === 'region') {
          const judged = verdict.kind === 'region' ? judgeLocation(policy, 'aws', verdict.region) : undefined;
          if (judged && judged.status === 'allowed') continue;
          if (judged && judged.status === 'unverifiable') {
            violations.push(unverifiable(resource, invocation, target, judged.reason, policy.describeResidency('aws')));
            continue;
          }
          violations.push({
            message: `${resource.type} "${resource.id}" ${what} ${verdict.kind === 'every-region' ? 'endpoints in every region' : `${invocation.kind === 'host' ? '' : 'an endpoint '}in ${judged && judged.status === 'denied' ? describeLocation(judged.info) : verdict.region}`}: prompts sent there leave ${policy.describeResidency('aws')}.`,
            found: `${invocation.attribute} = ${describeValue(target)}`,
            expected: `SageMaker endpoints in ${policy.describeResidency('aws')}`,
            fix: verdict.kind === 'every-region' ? 'name the endpoint ARNs, with their region, instead of a wildcard' : 'serve the model from an endpoint in an allowed region and grant invoke on that endpoint only',
            attribute: invocation.attribute,
          });
          continue;
        }
        violations.push(unverifiable(resource, invocation, target, verdict.reason, policy.describeResidency('aws')));
        }
      }
    }
    return violations;
  },
};

type TargetVerdict = { kind: 'every-region' } | { kind: 'region'; region: string } | { kind: 'unknown'; reason: string } | undefined;

function judgeTarget(invocation: EndpointInvocation, target: Value, ofTheApp: (value: Unresolved) => boolean): TargetVerdict {
  // An endpoint the app defines is judged where it is defined.
  if (target instanceof Reference) return undefined;
  if (target instanceof Unresolved) {
    if (ofTheApp(target)) return undefined;
    // An ARN built from an account, a partition or a name known at deploy time still names its region when it is written.
    const arn = invocation.kind === 'grant' ? parseArn(target.expression) : undefined;
    if (!arn && invocation.kind === 'host') return judgeTarget(invocation, target.expression, ofTheApp);
    if (!arn || arn.service !== 'sagemaker' || !INVOKED.test(arn.resourceType)) return { kind: 'unknown', reason: target.reason };
    return judgeRegion(arn.region) ?? undefined;
  }
  if (typeof target !== 'string') return { kind: 'unknown', reason: `the resource is ${describeValue(target)}` };
  if (invocation.kind === 'host') {
    const region = runtimeHostRegion(target);
    if (region === undefined) return undefined;
    return judgeRegion(region);
  }
  // "*" alone in a statement that does not name SageMaker is an all-actions grant the Bedrock rules judge already.
  if (target === '*') return invocation.namesSageMaker ? { kind: 'every-region' } : undefined;
  const arn = parseArn(target);
  if (!arn || arn.service !== 'sagemaker' || !INVOKED.test(arn.resourceType)) return undefined;
  return judgeRegion(arn.region);
}

/** A region as an ARN or host writes it: the stack's or provider's own (judged where the stack is), a wildcard, a placeholder or a region. */
function judgeRegion(region: string): TargetVerdict {
  // The stack's own region (`${AWS::Region}`, Terraform's data.aws_region) is judged once, by LCG-RES-002 and LCG-RES-001.
  if (region === '${AWS::Region}' || region === '' || /^\$\{data\.aws_region\.[\w-]+\.(name|region|id)\}$/.test(region)) return undefined;
  if (region.includes('*') || region.includes('?')) return { kind: 'every-region' };
  if (region.includes('${')) return { kind: 'unknown', reason: `the region ${region} is known only at deploy or plan time` };
  return { kind: 'region', region };
}

function unverifiable(resource: { type: string; id: string }, invocation: EndpointInvocation, target: Value, reason: string, residency: string): Violation {
  return {
    message: `Cannot verify where ${resource.type} "${resource.id}" sends prompts to SageMaker (${invocation.kind === 'host' ? 'a runtime host' : invocation.actions.join(', ')}): ${reason}.`,
    found: `${invocation.attribute} = ${describeValue(target)}`,
    expected: `SageMaker endpoints in ${residency}, named by a literal ARN or defined in the app`,
    fix: 'name the endpoint by an ARN with a literal region, or reference an endpoint the app defines',
    attribute: invocation.attribute,
    cannotVerify: true,
  };
}
