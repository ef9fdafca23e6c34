/**
 * Amazon Bedrock in the data flow: IAM principals granted `bedrock:Invoke*`,
 * the `bedrock-runtime` interface VPC endpoint (or the public internet), and
 * the models and inference profiles the grants name.
 */
import { countriesInJurisdiction, inferenceGeography, inferenceGeographyPrefixes } from '../catalogs';
import type { Resource } from '../core/graph';
import { placementOf } from '../analysis/locations';
import { Unresolved, Value, isPlainObject } from '../core/values';
import { FlowBuilder, IN_TRANSIT, NodeDraft } from './model';
import { asList, resolveResource, resourceLabel, textOf } from '../analysis/resolve';

const PRINCIPAL_TYPES = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group', 'aws_iam_role', 'aws_iam_user', 'aws_iam_group'];
const POLICY_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy', 'aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];
const ATTACHMENT_TYPES = ['aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment'];
const PRINCIPAL_PROPERTIES = ['Roles', 'Users', 'Groups', 'RoleName', 'UserName', 'GroupName', 'role', 'user', 'group', 'roles', 'users', 'groups'];
const VPC_ENDPOINT_TYPES = ['AWS::EC2::VPCEndpoint', 'aws_vpc_endpoint'];

/** Actions that allow calling a model: `bedrock:InvokeModel*`, `bedrock:Invoke*`, `bedrock:*`, `*`. */
const INVOKE_ACTION = /^(bedrock:(invoke[a-z]*\*?|\*)|\*)$/i;
/** `arn:<partition>:bedrock:<region>:<account>:<resource type>/<id>` */
const BEDROCK_ARN = /^arn:[^:]+:bedrock:([^:]*):([^:]*):([a-z-]+)\/(.+)$/;
/** Stands in for colons inside `${…}` while an ARN is split into its fields. */
const COLON_MASK = '\u0000';
const ARN_IN_TEXT = /arn:[a-z${}:.-]*:bedrock:[^"'\s,\]]*/g;

export function discoverAws(builder: FlowBuilder): void {
  const { graph } = builder;
  const vpcEndpoints = new Map<string, Resource[]>();
  for (const endpoint of graph.ofType(...VPC_ENDPOINT_TYPES)) {
    const service = textOf(endpoint.properties.ServiceName ?? endpoint.properties.service_name);
    if (!service || !service.includes('bedrock-runtime')) continue;
    let list = vpcEndpoints.get(endpoint.stack.name);
    if (!list) vpcEndpoints.set(endpoint.stack.name, (list = []));
    list.push(endpoint);
  }

  for (const grant of graph.resources) {
    if (!PRINCIPAL_TYPES.includes(grant.type) && !POLICY_TYPES.includes(grant.type)) continue;
    const targets = invokeTargets(grant);
    if (targets.length === 0) continue;
    const networks = (vpcEndpoints.get(grant.stack.name) ?? []).map((endpoint) => vpcEndpointNode(builder, endpoint));
    if (networks.length === 0) networks.push(builder.internet('aws'));
    const endpoints = targets.map((target) => bedrockEndpoint(builder, target));
    for (const principal of principalsOf(builder, grant)) {
      const caller = builder.node(`caller:${principal.key}`, 'caller', 'aws', resourceLabel(principal));
      builder.attach(caller, principal);
      if (grant !== principal) {
        builder.attach(caller, grant);
        caller.details.add(`granted by ${resourceLabel(grant)}`);
      }
      for (const network of networks) {
        builder.hop(caller, network, 'prompts and model responses', network.id.endsWith('public-internet') ? IN_TRANSIT.publicInternet : IN_TRANSIT.privatePath);
        for (const endpoint of endpoints) {
          endpoint.stacks.add(grant.stack.name);
          // The gate judges the grant, naming the model's ARN; such findings concern the endpoint too.
          endpoint.findingsMentioning ??= { resources: new Set(), mentioning: endpoint.id.slice('endpoint:aws:'.length) };
          endpoint.findingsMentioning.resources.add(grant.key);
          builder.hop(network, endpoint, 'prompts and model responses', IN_TRANSIT.toEndpoint);
        }
      }
    }
  }
}

function vpcEndpointNode(builder: FlowBuilder, endpoint: Resource): NodeDraft {
  return builder.node(`network:${endpoint.key}`, 'network', 'aws', `VPC endpoint ${endpoint.id} (bedrock-runtime)`, (draft) => {
    builder.attach(draft, endpoint);
    draft.location = builder.locate('aws', placementOf(endpoint)?.value);
    const privateDns = endpoint.properties.PrivateDnsEnabled ?? endpoint.properties.private_dns_enabled;
    draft.details.add(`private DNS ${privateDns === true ? 'enabled' : privateDns === false ? 'disabled' : `not set (${textOf(privateDns) ?? 'default'})`}`);
  });
}

/** The principals a grant reaches: the principal itself, or those a policy is attached to (the policy when none is found). */
function principalsOf(builder: FlowBuilder, grant: Resource): Resource[] {
  if (PRINCIPAL_TYPES.includes(grant.type)) return [grant];
  const { graph } = builder;
  const found = new Map<string, Resource>();
  const add = (value: Value | undefined): void => {
    for (const item of asList(value)) {
      const principal = resolveResource(graph, item, PRINCIPAL_TYPES);
      if (principal) found.set(principal.key, principal);
    }
  };
  for (const property of PRINCIPAL_PROPERTIES) add(grant.properties[property]);
  for (const referrer of graph.referrers(grant.key)) {
    if (PRINCIPAL_TYPES.includes(referrer.type)) found.set(referrer.key, referrer);
    if (ATTACHMENT_TYPES.includes(referrer.type)) for (const property of PRINCIPAL_PROPERTIES) add(referrer.properties[property]);
  }
  return found.size > 0 ? [...found.values()] : [grant];
}

/** Resource strings of every allowing statement that grants a model invocation. */
function invokeTargets(grant: Resource): string[] {
  const targets = new Set<string>();
  const visit = (value: Value | undefined): void => {
    if (typeof value === 'string') {
      if (value.includes('"Statement"')) {
        try {
          visit(JSON.parse(value) as Value);
        } catch {
          scanText(value, targets);
        }
      }
    } else if (value instanceof Unresolved) {
      if (value.expression.includes('Statement')) scanText(value.expression, targets);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (isPlainObject(value)) {
      if ('Statement' in value) {
        for (const statement of asList(value.Statement)) {
          if (!isPlainObject(statement) || statement.Effect === 'Deny') continue;
          const actions = asList(statement.Action).map(textOf);
          if (!actions.some((action) => action !== undefined && INVOKE_ACTION.test(action))) continue;
          for (const resource of asList(statement.Resource)) {
            const text = textOf(resource);
            if (text !== undefined && (text === '*' || text.includes(':bedrock:'))) targets.add(text);
          }
        }
        return;
      }
      Object.values(value).forEach(visit);
    }
  };
  visit(grant.properties as { [key: string]: Value });
  return [...targets].sort();
}

/** A policy the document builds at plan time (e.g. `jsonencode(…)`): take the Bedrock ARNs its text names when it allows invocation. */
function scanText(text: string, into: Set<string>): void {
  if (!/bedrock:(invoke|\*)|"Action"\s*:\s*"\*"/i.test(text)) return;
  for (const match of text.matchAll(ARN_IN_TEXT)) into.add(match[0]);
}

function bedrockEndpoint(builder: FlowBuilder, target: string): NodeDraft {
  // `${AWS::Region}` inside an unresolved ARN must not split the ARN's fields.
  const masked = BEDROCK_ARN.exec(target.replace(/\$\{[^}]*\}/g, (expression) => expression.replace(/:/g, COLON_MASK)));
  const match = masked?.map((part) => part.split(COLON_MASK).join(':'));
  const label = target === '*' ? 'Any Bedrock model (Resource "*")' : match ? `Bedrock ${match[4]}` : `Bedrock ${target}`;
  return builder.node(`endpoint:aws:${target}`, 'endpoint', 'aws', label, (draft) => {
    draft.encryptionAtRest = 'no data store declared for the model endpoint';
    if (!match) {
      draft.location = builder.locate('aws', new Unresolved(target, 'the grant names no region'));
      draft.processingGeography = target === '*' ? 'any model in any region the grant allows' : 'cannot be determined from the grant';
      draft.details.add(`resource ${target}`);
      return;
    }
    const [, region, , resourceType, id] = match;
    draft.details.add(`${resourceType} ${id}`);
    const regionValue: Value =
      region === '' ? new Unresolved('(any region: the ARN names none)', 'a region-less ARN') : region === '*' || region.includes('${') ? new Unresolved(region, 'the grant does not fix the region') : region;
    draft.location = builder.locate('aws', regionValue);
    if (region === '') draft.details.add('region-less ARN (used by global cross-region inference)');
    draft.processingGeography = processingGeography(builder, resourceType, id, region);
  });
}

function processingGeography(builder: FlowBuilder, resourceType: string, id: string, region: string): string {
  if (resourceType === 'inference-profile') {
    const prefix = inferenceGeographyPrefixes().find((candidate) => id.startsWith(`${candidate}.`));
    const geography = prefix ? inferenceGeography(prefix) : undefined;
    if (!prefix || !geography) return `unknown: inference profile prefix of "${id}" is not in the catalog`;
    const jurisdiction = builder.policy.jurisdiction;
    if (geography.anywhere) return `${geography.name}: "${prefix}." cross-region inference profile${jurisdiction ? ` (outside ${jurisdiction})` : ''}`;
    const countries = [...new Set(geography.destinationRegions.flatMap((destination) => builder.locate('aws', destination).countries))].sort();
    const verdict = jurisdiction ? (countriesInJurisdiction(countries, jurisdiction) ? ` (inside ${jurisdiction})` : ` (outside ${jurisdiction})`) : '';
    return `${geography.name}: "${prefix}." cross-region inference profile, ${geography.destinationRegions.join(', ')}${verdict}`;
  }
  if (resourceType === 'application-inference-profile') return 'as the model or inference profile the application inference profile copies';
  if (region === '') return 'any region the calling global inference profile routes to';
  return `in-region: ${region}`;
}
