/**
 * Amazon Bedrock facts: what an invoke grant's resources name (a model, a
 * system or application inference profile, everything, or a value known only
 * at deploy time), and where prompts sent there may be processed. The
 * residency rules judge these targets, the data-flow documentation draws them
 * as model endpoints, and BedrockModelAccess checks its models with them.
 */
import { bedrockService, inferenceGeography, inferenceGeographyPrefixes, inferenceProfilesAsOf } from '../catalogs';
import type { Resource, ResourceGraph } from '../core/graph';
import { Reference, Unresolved, Value, isTrue } from '../core/values';
import type { GuardrailPolicy } from '../policy/policy';
import { Arn, hasWildcard, parseArn } from './arn';
import type { AnalysisContext } from './context';
import { invokeGrantHolders, invokeGrants, InvokeGrant, isUnreadablePolicy } from './iam';
import { describeLocation, judgeLocation } from './locations';
import type { ChosenTarget } from './model-choices';
import { CFN, CFN_BEDROCK_PREFIX, TF_AWS } from './resource-types';

/** What one `Resource` entry of an invoke grant names. */
export type InvokeTarget =
  /** A Bedrock resource of the app (an application inference profile, say), by reference. */
  | { readonly kind: 'resource'; readonly resource: Resource; readonly text: string }
  /** `"*"`: every model and profile in every region. */
  | { readonly kind: 'everything'; readonly text: string }
  /** A Bedrock ARN (or one whose service is a wildcard), literal or with deploy-time parts. */
  | { readonly kind: 'arn'; readonly arn: Arn; readonly text: string }
  /** A value that may name a model but cannot be read: a parameter, a non-string. */
  | { readonly kind: 'unknown'; readonly text: string; readonly reason: string }
  /** Not a model resource (an S3 ARN in the same statement, a non-Bedrock resource of the app). */
  | { readonly kind: 'not-a-model' };

/** Types whose attributes are values computed or chosen at deploy time (custom resources, parameters), not resources of their own. */
const COMPUTED_VALUE_TYPES: readonly string[] = ['Custom::', 'AWS::CloudFormation::CustomResource', 'AWS::SSM::Parameter', 'aws_ssm_parameter', 'terraform_data', 'null_resource'];

/** Classifies one resource of an invoke statement. */
export function classifyInvokeTarget(value: Value, graph: ResourceGraph): InvokeTarget {
  const resource = graph.target(value);
  if (resource) {
    if (resource.type.startsWith(CFN_BEDROCK_PREFIX)) return { kind: 'resource', resource, text: String(value) };
    // A value a custom resource computes, or a parameter's value, may be any model ARN.
    if (COMPUTED_VALUE_TYPES.some((type) => resource.type === type || (type.endsWith('::') && resource.type.startsWith(type)))) {
      return { kind: 'unknown', text: String(value), reason: `a resource computed at deploy time by ${resource.type} "${resource.id}" (${String(value)})` };
    }
    // An output of another template (a nested stack, a Service Catalog product) may be any model ARN.
    if (value instanceof Reference && value.attribute?.startsWith('Outputs.')) {
      return { kind: 'unknown', text: String(value), reason: `an output of ${resource.type} "${resource.id}", known only at deploy time (${String(value)})` };
    }
    return { kind: 'not-a-model' };
  }
  const text = typeof value === 'string' ? value : value instanceof Unresolved ? value.expression : undefined;
  if (text === undefined) return { kind: 'unknown', text: JSON.stringify(value), reason: `a resource that is not a string (${JSON.stringify(value)})` };
  if (text === '*') return { kind: 'everything', text };
  const arn = parseArn(text);
  if (!arn) {
    if (value instanceof Unresolved && isUnreadablePolicy(value.reason)) return { kind: 'unknown', text, reason: value.reason };
    return value instanceof Unresolved ? { kind: 'unknown', text, reason: `a resource known only at deploy time (${text}: ${value.reason})` } : { kind: 'not-a-model' };
  }
  // AgentCore runtimes (bedrock-agentcore) take prompts as Bedrock's own resources do.
  if (arn.service !== 'bedrock' && arn.service !== 'bedrock-agentcore' && !hasWildcard(arn.service) && !arn.service.startsWith('${')) return { kind: 'not-a-model' };
  return { kind: 'arn', arn, text };
}

/** The foundation-model regions a set of grants (one IAM policy) allows for each model: see {@link GrantedModelRegions}. */
export function grantedModelRegionsOf(grants: readonly InvokeGrant[]): GrantedModelRegions {
  return (modelId) => {
    const regions: string[] = [];
    for (const grant of grants) {
      for (const value of grant.targets) {
        const text = typeof value === 'string' ? value : value instanceof Unresolved ? value.expression : undefined;
        if (text === undefined) continue;
        if (text === '*') return undefined;
        const arn = parseArn(text);
        if (!arn || (arn.service !== 'bedrock' && !hasWildcard(arn.service)) || (arn.resourceType !== 'foundation-model' && !hasWildcard(arn.resourceType))) continue;
        if (!globMatches(arn.resourceId, modelId)) continue;
        if (arn.region === '' || hasWildcard(arn.region) || arn.region.includes('${')) return undefined;
        regions.push(arn.region);
      }
    }
    return regions;
  };
}

/** Whether an IAM resource pattern (`*`, `?`) matches an id. */
function globMatches(pattern: string, id: string): boolean {
  if (!hasWildcard(pattern)) return pattern === id;
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(id);
}

/** One model endpoint an invoke grant names, with the grants that name it. */
export interface BedrockModelTarget {
  /** Stable identity: the resource key for an app resource, else the target text. */
  readonly id: string;
  readonly target: Exclude<InvokeTarget, { kind: 'not-a-model' }>;
  readonly grants: readonly InvokeGrant[];
}

/** Every model target named by a principal's or policy's invoke grant, once each, in document order; once per run. */
export function bedrockModelTargets(context: AnalysisContext): readonly BedrockModelTarget[] {
  return context.memo('bedrock.model-targets', () => {
    const targets = new Map<string, { target: BedrockModelTarget['target']; grants: InvokeGrant[] }>();
    for (const holder of invokeGrantHolders(context)) {
      for (const grant of invokeGrants(context, holder.resource)) {
        for (const value of grant.targets) {
          const target = classifyInvokeTarget(value, context.graph);
          if (target.kind === 'not-a-model') continue;
          const id = target.kind === 'resource' ? target.resource.key : target.text;
          let entry = targets.get(id);
          if (!entry) targets.set(id, (entry = { target, grants: [] }));
          if (!entry.grants.includes(grant)) entry.grants.push(grant);
        }
      }
    }
    return [...targets].map(([id, { target, grants }]) => ({ id, target, grants }));
  });
}

/** How one invoke target relates to the policy's residency. */
export type TargetVerdict =
  | { readonly status: 'allowed' }
  /** Not a model resource (e.g. an S3 ARN in the same statement): other rules judge it. */
  | { readonly status: 'not-a-model' }
  | { readonly status: 'denied' | 'unverifiable'; readonly problem: string; readonly fix: string };

/**
 * Judges one `Resource` entry of a statement that grants invoke: the region
 * of a model or profile ARN, and for a cross-region inference profile every
 * destination region of its geography. Wildcards that reach other regions or
 * global profiles are denied; values known only at deploy time are unverifiable.
 */
export function judgeInvokeTarget(target: InvokeTarget, policy: GuardrailPolicy, grantedModelRegions?: GrantedModelRegions): TargetVerdict {
  const allowedText = policy.describeResidency('aws');
  // An application inference profile of this app: LCG-RES-011 judges what it copies from, LCG-RES-002 its region.
  if (target.kind === 'resource') return { status: 'allowed' };
  if (target.kind === 'not-a-model') return { status: 'not-a-model' };
  if (target.kind === 'unknown') {
    const fix = target.text.startsWith('attached policy ')
      ? 'grant invoke in a policy the app defines, so that the gate can read it (or acknowledge LCG-RES-010 for this principal, citing the policy\'s review)'
      : target.text.startsWith('assumed role ')
        ? 'invoke Bedrock with the principal\'s own role, whose grants the gate reads (or acknowledge LCG-RES-010, citing the other account\'s review)'
        : target.reason.startsWith('a resource that is not a string')
          ? 'name models and profiles by literal ARN'
          : isUnreadablePolicy(target.reason)
            ? 'write the policy where the gate can read it (inline JSON, jsonencode(…) or data.aws_iam_policy_document; a statement without a deploy-time condition), or acknowledge LCG-RES-010 for it when it grants no Bedrock access'
            : 'name the model or profile by a literal ARN';
    return { status: 'unverifiable', problem: target.reason, fix };
  }
  if (target.kind === 'everything') {
    return {
      status: 'denied',
      problem: 'every model and inference profile in every region ("*"), including global inference profiles',
      fix: `list the foundation-model ARNs (arn:aws:bedrock:<allowed region>::foundation-model/<id>) the workload needs, in ${allowedText}`,
    };
  }
  const { arn, text } = target;
  if (arn.service.startsWith('${')) return { status: 'unverifiable', problem: `an ARN whose service is known only at deploy time (${text})`, fix: 'write the service as "bedrock"' };

  if (arn.region === '') {
    if (arn.resourceType === 'foundation-model' || hasWildcard(arn.resourceType)) {
      return {
        status: 'denied',
        problem: `a region-less foundation-model ARN (${text}), which only global inference profiles use to route prompts to any commercial region`,
        fix: `grant the model in an allowed region instead: arn:aws:bedrock:<region in ${allowedText}>::foundation-model/${arn.resourceId || '<id>'}`,
      };
    }
    return { status: 'unverifiable', problem: `a Bedrock ARN without a region (${text})`, fix: 'name the region of the model or profile' };
  }
  if (hasWildcard(arn.region)) {
    return { status: 'denied', problem: `an ARN whose region "${arn.region}" matches regions outside the jurisdiction (${text})`, fix: `replace the region wildcard with a region in ${allowedText}` };
  }
  if (arn.region.includes('${')) {
    return { status: 'unverifiable', problem: `an ARN whose region is known only at deploy time (${text})`, fix: `write the region literally, or give the stack an explicit env: { region } in ${allowedText}` };
  }
  const verdict = judgeLocation(policy, 'aws', arn.region);
  if (verdict.status === 'denied') return { status: 'denied', problem: `a model or profile in ${describeLocation(verdict.info)} (${text})`, fix: `use the model in ${verdict.expected}` };
  if (verdict.status === 'unverifiable') return { status: 'unverifiable', problem: `${verdict.reason} (${text})`, fix: `use a region in ${verdict.expected}` };

  // Guardrail profiles route like inference profiles of their geography; a profile id written as a foundation model
  // (`foundation-model/us.anthropic.…`) still routes like the profile.
  if (arn.resourceType === 'inference-profile' || arn.resourceType === 'guardrail-profile' || (arn.resourceType === 'foundation-model' && isGeographicProfileId(arn.resourceId))) {
    return judgeSystemProfile(arn, policy, grantedModelRegions);
  }
  if (arn.resourceType === 'application-inference-profile') {
    return {
      status: 'unverifiable',
      problem: `application inference profile ${text}, which is not defined in this app, so what it copies from (and where it routes) cannot be checked`,
      fix: 'define the application inference profile in the app (AWS::Bedrock::ApplicationInferenceProfile) and reference it, or grant the foundation model directly',
    };
  }
  if (hasWildcard(arn.resourceType)) {
    return {
      status: 'denied',
      problem: `every Bedrock resource type in ${arn.region} (${text}), including global and out-of-jurisdiction inference profiles`,
      fix: 'name the resource type: foundation-model/<id> or inference-profile/<in-jurisdiction profile id>',
    };
  }
  return { status: 'allowed' };
}

/**
 * The regions in which the same IAM policy allows the foundation model behind a profile (`anthropic.claude-…` of
 * `eu.anthropic.claude-…`); undefined when it allows the model in a region it does not name (a wildcard, a
 * deploy-time value) or not at all.
 */
export type GrantedModelRegions = (modelId: string) => readonly string[] | undefined;

/**
 * A system (cross-region) inference profile: every destination region of its
 * geography must be allowed — or, as AWS documents for restricting a
 * geographic profile, the IAM policy that allows it allows the foundation
 * model only in destination regions inside the jurisdiction, so that Bedrock
 * can route the caller's prompts nowhere else.
 */
export function judgeSystemProfile(arn: Pick<Arn, 'text' | 'resourceId'>, policy: GuardrailPolicy, grantedModelRegions?: GrantedModelRegions): TargetVerdict {
  const allowedText = policy.describeResidency('aws');
  const geography = geographyOfProfile(arn.resourceId);
  if (geography === 'wildcard') {
    return {
      status: 'denied',
      problem: `every inference profile (${arn.text}), including global. profiles that route prompts to any commercial region`,
      fix: 'name the inference profile, with a geography prefix whose every destination region is allowed, or use a foundation model in an allowed region',
    };
  }
  if (!geography) {
    return {
      status: 'unverifiable',
      problem: `inference profile "${arn.resourceId}", whose geography prefix the catalog does not know, so its destination regions cannot be checked (${arn.text})`,
      fix: `use a foundation model in ${allowedText}, or a profile with a known geography prefix (${inferenceGeographyPrefixes().join(', ')})`,
    };
  }
  const { prefix, info } = geography;
  if (info.anywhere) {
    return {
      status: 'denied',
      problem: `global inference profile "${arn.resourceId}", which routes prompts to any AWS commercial region (${arn.text})`,
      fix: `use a foundation model in ${allowedText} (e.g. foundation-model/${arn.resourceId.slice(prefix.length + 1)})`,
    };
  }
  const outside: string[] = [];
  for (const region of info.destinationRegions) {
    const verdict = judgeLocation(policy, 'aws', region);
    if (verdict.status === 'denied') outside.push(describeLocation(verdict.info));
    else if (verdict.status === 'unverifiable') outside.push(`${region} (unknown to the catalog)`);
  }
  if (outside.length > 0) {
    const modelId = arn.resourceId.slice(prefix.length + 1);
    const granted = grantedModelRegions?.(modelId);
    const inside = info.destinationRegions.filter((region) => judgeLocation(policy, 'aws', region).status === 'allowed');
    if (granted && granted.length > 0 && granted.every((region) => inside.includes(region))) return { status: 'allowed' };
    return {
      status: 'denied',
      problem: `cross-region inference profile "${arn.resourceId}" (${info.name}), whose destination regions may include ${outside.join(', ')} (per the inference-profile catalog as of ${inferenceProfilesAsOf()}) (${arn.text})`,
      fix:
        grantedModelRegions && inside.length > 0
          ? `allow the foundation model only in destination regions inside ${allowedText} next to the profile (${inside.map((region) => `arn:aws:bedrock:${region}::foundation-model/${modelId}`).join(', ')}), so that Bedrock cannot route elsewhere; or use the foundation model in one allowed region`
          : `use the foundation model in a region of ${allowedText} (foundation-model/${modelId}), or a profile whose every destination region is allowed`,
    };
  }
  return { status: 'allowed' };
}

/** Whether an id starts with a geography prefix the catalog knows (`eu.`, `us.`, `global.`): a system inference profile. */
export function isGeographicProfileId(id: string): boolean {
  const geography = geographyOfProfile(id);
  return geography !== undefined && geography !== 'wildcard';
}

/** The catalog geography of a system inference profile id (`eu.anthropic…`), `wildcard` for `*`-style ids. */
export function geographyOfProfile(profileId: string): { prefix: string; info: NonNullable<ReturnType<typeof inferenceGeography>> } | 'wildcard' | undefined {
  for (const prefix of inferenceGeographyPrefixes()) {
    if (profileId.startsWith(`${prefix}.`)) {
      const info = inferenceGeography(prefix);
      if (info) return { prefix, info };
    }
  }
  const head = profileId.split('.')[0];
  return hasWildcard(head) ? 'wildcard' : undefined;
}


/** An interface VPC endpoint that (may) reach bedrock-runtime. */
export interface RuntimeEndpoint {
  readonly resource: Resource;
  /** The service name as written. */
  readonly serviceName: Value | undefined;
  /** `false` when the service name is known only at deploy time and merely mentions Bedrock. */
  readonly certain: boolean;
  /** The region prompts sent through it reach: the cross-region `ServiceRegion`, else the region in the service name. */
  readonly region: Value | undefined;
  /** Where that region is written. */
  readonly regionAttribute: string;
  /** Whether SDK calls use it: an interface endpoint with private DNS on. */
  readonly privateDns: boolean;
}

/** The endpoint a VPC endpoint resource is, when it (may) reach bedrock-runtime; CloudFormation and Terraform alike. */
export function bedrockRuntimeEndpoint(resource: Resource): RuntimeEndpoint | undefined {
  const cloudFormation = resource.type === CFN.vpcEndpoint;
  if (!cloudFormation && resource.type !== TF_AWS.vpcEndpoint) return undefined;
  const props = resource.properties;
  const serviceName = props[cloudFormation ? 'ServiceName' : 'service_name'];
  const text = typeof serviceName === 'string' ? serviceName : serviceName instanceof Unresolved ? serviceName.expression : undefined;
  // A name built around the stack's region (`com.amazonaws.${AWS::Region}.bedrock-runtime`) still names the runtime service.
  const certain = text !== undefined && text.endsWith(`.${bedrockService().runtimeEndpointService}`);
  // A service name known only at deploy time might be bedrock-runtime: it counts when it could be.
  if (!certain && !(serviceName instanceof Unresolved && /bedrock/i.test(text ?? ''))) return undefined;
  const serviceRegionAttribute = cloudFormation ? 'ServiceRegion' : 'service_region';
  const serviceRegion = props[serviceRegionAttribute];
  const nameAttribute = cloudFormation ? 'ServiceName' : 'service_name';
  const fromName = /^com\.amazonaws\.([^.]+)\./.exec(text ?? '')?.[1];
  const region: Value | undefined =
    serviceRegion !== undefined && serviceRegion !== null ? serviceRegion : fromName === undefined ? undefined : fromName.includes('${') ? new Unresolved(fromName, 'deploy-time region') : fromName;
  const type = props[cloudFormation ? 'VpcEndpointType' : 'vpc_endpoint_type'];
  return {
    resource,
    serviceName,
    certain,
    region,
    regionAttribute: serviceRegion !== undefined && serviceRegion !== null ? serviceRegionAttribute : nameAttribute,
    privateDns: certain && type === 'Interface' && isTrue(props[cloudFormation ? 'PrivateDnsEnabled' : 'private_dns_enabled']),
  };
}

/** Every bedrock-runtime VPC endpoint of the graph, in document order; once per run. */
export function bedrockRuntimeEndpoints(context: AnalysisContext): readonly RuntimeEndpoint[] {
  return context.memo('bedrock.runtime-endpoints', () =>
    context.graph.ofType(CFN.vpcEndpoint, TF_AWS.vpcEndpoint).flatMap((resource) => {
      const endpoint = bedrockRuntimeEndpoint(resource);
      return endpoint ? [endpoint] : [];
    }),
  );
}

/**
 * Judges what one choice names against the policy's residency: ARNs and
 * profile ids as invoke grants are judged, regions as locations; a bare
 * foundation-model id is processed in the caller's region, which the stack
 * or the region setting places.
 */
export function judgeModelChoice(target: ChosenTarget, policy: GuardrailPolicy): TargetVerdict {
  switch (target.kind) {
    case 'resource':
    case 'model':
      return { status: 'allowed' };
    case 'unknown':
      return { status: 'unverifiable', problem: `${target.text}: ${target.reason}`, fix: 'name the model by a literal id or ARN in the document' };
    case 'arn': {
      const arn = parseArn(target.text);
      if (!arn) return { status: 'unverifiable', problem: `${target.text}: not an ARN the guardrail can read`, fix: 'write the Bedrock ARN literally' };
      return judgeInvokeTarget({ kind: 'arn', arn, text: target.text }, policy);
    }
    case 'profile':
      return judgeSystemProfile({ text: target.text, resourceId: target.text }, policy);
    case 'region': {
      const verdict = judgeLocation(policy, 'aws', target.text);
      if (verdict.status === 'denied') return { status: 'denied', problem: `Bedrock calls in ${describeLocation(verdict.info)}`, fix: `invoke Bedrock in ${verdict.expected}` };
      if (verdict.status === 'unverifiable') return { status: 'unverifiable', problem: `region "${target.text}": ${verdict.reason}`, fix: `set a region in ${verdict.expected}` };
      return { status: 'allowed' };
    }
  }
}
