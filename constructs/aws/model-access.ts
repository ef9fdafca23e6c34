import { Stack, Token, Tags, aws_bedrock as bedrock, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { judgeLocation } from '../../lib/analysis/locations';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { geographyOfProfile } from '../../lib/analysis/bedrock';
import { invokeActionsToGrant } from '../../lib/analysis/iam';
import { policyFor } from './policy-defaults';
import type { BedrockPrivateEndpoint } from './private-endpoint';

/** Options of {@link BedrockModelAccess}. */
export interface BedrockModelAccessProps {
  /**
   * Foundation models invoked in `region`, by model id (e.g. `amazon.nova-micro-v1:0`).
   *
   * @default - none
   */
  readonly foundationModelIds?: string[];
  /**
   * System (cross-region) inference profiles, by id (e.g. `eu.amazon.nova-micro-v1:0`).
   * Under a residency policy every destination region of the profile's
   * geography must be allowed; `global.` profiles never are.
   *
   * @default - none
   */
  readonly inferenceProfileIds?: string[];
  /**
   * Region the models are invoked in.
   *
   * @default - the stack region
   */
  readonly region?: string;
  /**
   * The policy the models are checked against when the construct is created.
   *
   * @default - the policy of the ComplianceGate enabled on the app, else context `llm-guardrail:policy`, else no check here (the gate still judges the template)
   */
  readonly policy?: GuardrailPolicy;
  /**
   * Name of an application inference profile to create (for cost allocation
   * tags); it copies from the first foundation model, else the first inference profile.
   *
   * @default - no application inference profile
   */
  readonly applicationInferenceProfileName?: string;
  /**
   * Tags of the application inference profile (cost allocation).
   *
   * @default - none
   */
  readonly applicationInferenceProfileTags?: { [key: string]: string };
  /**
   * A private bedrock-runtime endpoint: grants are limited to calls through it
   * (aws:SourceVpce), and its endpoint policy allows exactly these models.
   *
   * @default - no network condition (calls may use the public endpoint)
   */
  readonly privateEndpoint?: BedrockPrivateEndpoint;
}

/**
 * Access to named Bedrock models, pinned to allowed regions: invoke
 * permissions (`bedrock:InvokeModel`, `bedrock:InvokeModelWithResponseStream`,
 * which also authorize Converse and ConverseStream) only on the listed
 * foundation models in one region and on inference profiles whose every
 * destination region the policy allows.
 */
export class BedrockModelAccess extends Construct {
  /** Resources the invoke permission is granted on. */
  readonly resourceArns: string[];
  /**
   * The foundation models a geographic profile routes to, granted only through that profile (a condition on
   * `bedrock:InferenceProfileArn`): the caller cannot invoke them directly in those regions, where no logging may be.
   */
  readonly profileDestinationArns: string[] = [];
  /** The geographic profiles the destinations above are reached through. */
  readonly routingProfileArns: string[] = [];
  /** The application inference profile, when one was requested. */
  readonly applicationInferenceProfile?: bedrock.CfnApplicationInferenceProfile;
  /** The ARN to pass as `modelId` when invoking: the application profile, else the first model or profile. */
  readonly invocationArn: string;
  private readonly privateEndpoint?: BedrockPrivateEndpoint;

  constructor(scope: Construct, id: string, props: BedrockModelAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const where = `BedrockModelAccess at "${this.node.path}"`;
    const foundationModelIds = props.foundationModelIds ?? [];
    const inferenceProfileIds = props.inferenceProfileIds ?? [];
    if (foundationModelIds.length + inferenceProfileIds.length === 0) throw new Error(`${where}: no model named (fix: set foundationModelIds or inferenceProfileIds)`);
    for (const modelId of [...foundationModelIds, ...inferenceProfileIds]) {
      if (!Token.isUnresolved(modelId) && (modelId.includes('*') || modelId.includes('?') || modelId.includes('/') || modelId === '')) {
        throw new Error(`${where}: "${modelId}" is not a model id; wildcards would grant models outside the policy (fix: name each model, e.g. amazon.nova-micro-v1:0)`);
      }
    }
    const region = props.region ?? stack.region;
    const policy = policyFor(this, props.policy);
    // What the policy forbids (a region outside it, a profile routing outside it, one whose destinations are unknown) is
    // built as asked: the gate judges the synthesized grant (LCG-RES-010) and reports it with the report file and
    // acknowledgements of every finding, instead of an exception from this constructor.
    const foundationModelArn = (modelId: string, modelRegion: string): string =>
      stack.formatArn({ service: 'bedrock', region: modelRegion, account: '', resource: 'foundation-model', resourceName: modelId });
    const arns: string[] = foundationModelIds.map((modelId) => foundationModelArn(modelId, region));
    for (const profileId of inferenceProfileIds) {
      const geography = Token.isUnresolved(profileId) ? undefined : geographyOfProfile(profileId);
      const profileArn = stack.formatArn({ service: 'bedrock', region, resource: 'inference-profile', resourceName: profileId });
      if (!geography || geography === 'wildcard') {
        // Destinations unknown: only the profile is granted, and the gate cannot verify where it routes (fails closed).
        arns.push(profileArn);
        continue;
      }
      // A cross-region profile invokes the model in each destination region: the caller needs it there too. Under a
      // residency policy it gets the model only in the destinations the policy allows, so Bedrock routes nowhere else
      // (the restriction AWS documents for geographic profiles, and the one LCG-RES-010 accepts). When the policy
      // allows none, every destination is granted, as asked, and the gate reports the profile.
      const allowed = policy?.constrainsResidency
        ? geography.info.destinationRegions.filter((destination) => judgeLocation(policy, 'aws', destination).status === 'allowed')
        : geography.info.destinationRegions;
      const destinations = allowed.length > 0 ? allowed : geography.info.destinationRegions;
      arns.push(profileArn);
      this.routingProfileArns.push(profileArn);
      const modelId = profileId.slice(geography.prefix.length + 1);
      for (const destination of destinations) this.profileDestinationArns.push(foundationModelArn(modelId, destination));
    }
    this.resourceArns = [...new Set(arns)];
    this.privateEndpoint = props.privateEndpoint;

    if (props.applicationInferenceProfileName !== undefined) {
      const copyFrom = foundationModelIds.length > 0 ? foundationModelArn(foundationModelIds[0], region) : arns[0];
      this.applicationInferenceProfile = new bedrock.CfnApplicationInferenceProfile(this, 'ApplicationInferenceProfile', {
        inferenceProfileName: props.applicationInferenceProfileName,
        // CloudFormation accepts letters, digits, ":" and "." here, each followed by at most one space, "_" or "-".
        description: `Application profile for ${foundationModelIds[0] ?? inferenceProfileIds[0]}`,
        modelSource: { copyFrom },
      });
      for (const [key, value] of Object.entries(props.applicationInferenceProfileTags ?? {})) Tags.of(this.applicationInferenceProfile).add(key, value);
      this.resourceArns.push(this.applicationInferenceProfile.attrInferenceProfileArn);
      this.invocationArn = this.applicationInferenceProfile.attrInferenceProfileArn;
    } else {
      this.invocationArn = arns[0];
    }
    // The endpoint policy lets the routed destinations through too: a profile's request is authorized on each.
    props.privateEndpoint?.allowModels({ resourceArns: [...this.resourceArns, ...new Set(this.profileDestinationArns)] });
  }

  /**
   * Lets `grantee` invoke the models (InvokeModel, InvokeModelWithResponseStream,
   * Converse, ConverseStream), through the private endpoint when one is set.
   */
  grantInvoke(grantee: iam.IGrantable): iam.Grant {
    const actions = invokeActionsToGrant();
    const network = this.privateEndpoint ? { StringEquals: { 'aws:SourceVpce': this.privateEndpoint.endpoint.vpcEndpointId } } : undefined;
    const grant = iam.Grant.addToPrincipal({ grantee, actions, resourceArns: this.resourceArns, conditions: network });
    if (this.profileDestinationArns.length === 0) return grant;
    // The destination models only through the profiles (AWS's documented restriction for geographic profiles).
    const routed = iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [...new Set(this.profileDestinationArns)],
      conditions: { ...network, StringLike: { 'bedrock:InferenceProfileArn': [...new Set(this.routingProfileArns)] } },
    });
    return grant.combine(routed);
  }
}
