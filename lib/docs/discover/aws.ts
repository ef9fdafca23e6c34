/**
 * Amazon Bedrock in the data flow: the principals that invoke grants reach,
 * the bedrock-runtime interface endpoints (or the public internet), and the
 * models and inference profiles the grants name — all from the facts layer.
 */
import { BedrockModelTarget, bedrockModelTargets, bedrockRuntimeEndpoints, geographyOfProfile } from '../../analysis/bedrock';
import { principalsOf } from '../../analysis/iam';
import { placementOf } from '../../analysis/locations';
import { ModelChoice, invocationRegionOf, modelChoices } from '../../analysis/model-choices';
import { promptStores } from '../../analysis/prompt-stores';
import { resolveResource } from '../../analysis/resolve';
import { countriesInJurisdiction } from '../../catalogs';
import type { Resource } from '../../core/graph';
import { Unresolved, Value, isTrue, valueAt } from '../../core/values';
import { FlowBuilder, IN_TRANSIT, NodeDraft, callerNode, resourceLabel, resourceNode } from '../builder';
import { describeStore } from './stores';

const PROMPTS = 'prompts and model responses';

export function discoverAws(builder: FlowBuilder): void {
  const { context } = builder;
  const runtimeEndpoints = new Map<string, Resource[]>();
  for (const endpoint of bedrockRuntimeEndpoints(context)) {
    const stack = endpoint.resource.stack.name;
    let list = runtimeEndpoints.get(stack);
    if (!list) runtimeEndpoints.set(stack, (list = []));
    list.push(endpoint.resource);
  }
  for (const target of bedrockModelTargets(context)) {
    const endpoint = bedrockEndpoint(builder, target);
    for (const grant of target.grants) {
      const holder = grant.resource;
      endpoint.stacks?.add(holder.stack.name);
      // The gate judges the grant, naming the model as the finding's subject; such findings concern the endpoint too.
      endpoint.findingsAbout ??= { resources: new Set(), subject: target.id };
      endpoint.findingsAbout.resources.add(holder.key);
      const paths = runtimeEndpoints.get(holder.stack.name);
      const networks = paths ? paths.map((path) => vpcEndpointNode(builder, path)) : [builder.internet('aws')];
      const principals = principalsOf(context, holder);
      for (const principal of principals.length > 0 ? principals : [holder]) {
        const caller = callerNode(builder, principal);
        if (holder !== principal) {
          builder.attach(caller, holder);
          caller.details.add(`granted by ${resourceLabel(holder)}`);
        }
        for (const network of networks) {
          builder.hop(caller, network, PROMPTS, network.id.endsWith('public-internet') ? IN_TRANSIT.publicInternet : IN_TRANSIT.privatePath);
          builder.hop(network, endpoint, PROMPTS, IN_TRANSIT.toEndpoint);
        }
        builder.reach(caller, endpoint);
      }
    }
  }
  // Models chosen outside IAM: by Bedrock resources (agents, knowledge bases, …) and by code (environment variables).
  for (const choice of modelChoices(context)) {
    const endpoint = chosenModelNode(builder, choice);
    if (!endpoint) continue;
    endpoint.stacks?.add(choice.resource.stack.name);
    if (choice.setting === 'bedrock') {
      builder.hop(bedrockResourceNode(builder, choice.resource), endpoint, PROMPTS, IN_TRANSIT.toEndpoint);
      continue;
    }
    const caller = callerNode(builder, choice.resource);
    caller.details.add(`chooses its model through ${choice.attribute}`);
    const paths = runtimeEndpoints.get(choice.resource.stack.name);
    for (const network of paths ? paths.map((path) => vpcEndpointNode(builder, path)) : [builder.internet('aws')]) {
      builder.hop(caller, network, PROMPTS, network.id.endsWith('public-internet') ? IN_TRANSIT.publicInternet : IN_TRANSIT.privatePath);
      builder.hop(network, endpoint, PROMPTS, IN_TRANSIT.toEndpoint);
    }
    builder.reach(caller, endpoint);
  }
  discoverPromptStores(builder);
}

/** A Bedrock resource of the app that calls models itself (an agent, a knowledge base, a flow): an endpoint of its own. */
function bedrockResourceNode(builder: FlowBuilder, resource: Resource): NodeDraft {
  return resourceNode(
    builder,
    `endpoint:${resource.key}`,
    'endpoint',
    resource,
    (draft) => {
      draft.location = builder.locate('aws', placementOf(resource)?.value);
      draft.processingGeography = 'as the models it uses';
    },
    'Bedrock ',
  );
}

/**
 * The endpoint node of the model a choice names — the same node as an invoke
 * grant naming the same model: a bare model id invoked in a known region is
 * its foundation-model ARN there. None for a region setting.
 */
export function chosenModelNodeId(choice: ModelChoice, context: FlowBuilder['context']): string | undefined {
  const { target } = choice;
  if (target.kind === 'region') return undefined;
  if (target.kind === 'resource') return `endpoint:${target.resource.key}`;
  if (target.kind === 'model') {
    const region = invocationRegionOf(choice.resource, context);
    if (typeof region === 'string') return `endpoint:aws:arn:aws:bedrock:${region}::foundation-model/${target.text}`;
  }
  return `endpoint:aws:${target.text}`;
}

function chosenModelNode(builder: FlowBuilder, choice: ModelChoice): NodeDraft | undefined {
  const id = chosenModelNodeId(choice, builder.context);
  const { target } = choice;
  if (!id) return undefined;
  if (target.kind === 'resource') return bedrockResourceNode(builder, target.resource);
  return builder.node(id, 'endpoint', 'aws', `Bedrock ${target.text}`, (draft) => {
    draft.details.add(`model ${target.text}`);
    draft.encryptionAtRest = 'no data store declared for the model endpoint';
    if (target.kind === 'model') {
      const region = invocationRegionOf(choice.resource, builder.context);
      draft.location = builder.locate('aws', region);
      draft.processingGeography = typeof region === 'string' ? `in-region: ${region}` : 'the region the caller invokes in';
    } else if (target.kind === 'profile') {
      draft.location = builder.locate('aws', invocationRegionOf(choice.resource, builder.context));
      setProcessing(builder, draft, processingGeography(builder, 'inference-profile', target.text, ''));
    } else if (target.kind === 'arn') {
      const region = /^arn:[^:]+:bedrock:([^:]*):/.exec(target.text)?.[1] ?? '';
      draft.location = builder.locate('aws', region === '' ? new Unresolved('(any region)', 'a region-less ARN') : region);
      draft.processingGeography = `as ${target.text} routes`;
    } else {
      draft.location = builder.locate('aws', new Unresolved(target.text, 'the model is known only at deploy time'));
      draft.processingGeography = 'cannot be determined: the model is known only at deploy time';
    }
    draft.details.add(`chosen through ${choice.attribute} of ${resourceLabel(choice.resource)}`);
  });
}

/** What each kind of store holds, on the hop into it. */
const STORE_DATA = {
  'vector-store': 'document chunks and embeddings',
  documents: 'documents the knowledge base indexes',
  conversations: 'conversations (prompts and answers)',
  'possible-conversations': 'data the code writes (may include prompts)',
} as const;

/** Knowledge-base vector stores, their document buckets, and the tables code calling Bedrock writes. */
function discoverPromptStores(builder: FlowBuilder): void {
  const { context } = builder;
  for (const store of promptStores(context)) {
    const node = resourceNode(builder, `sink:${store.resource.key}`, 'sink', store.resource, (draft) => {
      describeStore(builder, draft, store.resource, undefined);
      draft.details.add(store.why);
    });
    const data = STORE_DATA[store.kind];
    if (store.kind === 'vector-store' || store.kind === 'documents') {
      for (const kb of context.graph.ofType('AWS::Bedrock::KnowledgeBase', 'aws_bedrockagent_knowledge_base')) {
        const linked =
          store.kind === 'vector-store'
            ? context.graph.referrers(store.resource.key).includes(kb)
            : context.graph.referrers(store.resource.key).some((source) => /DataSource|data_source/.test(source.type) && resolveResource(context, source.properties.KnowledgeBaseId ?? source.properties.knowledge_base_id) === kb);
        if (!linked) continue;
        const kbNode = bedrockResourceNode(builder, kb);
        if (store.kind === 'vector-store') builder.hop(kbNode, node, data, IN_TRANSIT.toEndpoint);
        else builder.hop(node, kbNode, data, IN_TRANSIT.toEndpoint);
      }
      continue;
    }
    if (store.writer) {
      const caller = callerNode(builder, store.writer);
      builder.hop(caller, node, data, IN_TRANSIT.toEndpoint);
    }
  }
}

function vpcEndpointNode(builder: FlowBuilder, endpoint: Resource): NodeDraft {
  return resourceNode(builder, `network:${endpoint.key}`, 'network', endpoint, (draft) => {
    draft.subtitle = `${endpoint.type} (bedrock-runtime)`;
    draft.location = builder.locate('aws', placementOf(endpoint)?.value);
    const privateDns = endpoint.properties.PrivateDnsEnabled ?? endpoint.properties.private_dns_enabled;
    draft.details.add(`private DNS ${isTrue(privateDns) ? 'enabled' : privateDns === false ? 'disabled' : `not set (${describe(privateDns)})`}`);
  });
}

function describe(value: Value | undefined): string {
  return value === undefined ? 'default' : value instanceof Unresolved ? value.expression : JSON.stringify(value);
}

/** The node of one model target: `endpoint:aws:<ARN>`, or `endpoint:<key>` for a Bedrock resource of the app. */
function bedrockEndpoint(builder: FlowBuilder, model: BedrockModelTarget): NodeDraft {
  const { target } = model;
  if (target.kind === 'resource') {
    const { resource } = target;
    return resourceNode(builder, `endpoint:${resource.key}`, 'endpoint', resource, (draft) => {
      draft.location = builder.locate('aws', placementOf(resource)?.value);
      draft.encryptionAtRest = 'no data store declared for the model endpoint';
      const copyFrom = valueAt(resource.properties, 'ModelSource.CopyFrom');
      if (copyFrom !== undefined) draft.details.add(`copies from ${typeof copyFrom === 'string' ? copyFrom : describe(copyFrom)}`);
      draft.processingGeography = 'as the model or inference profile the application inference profile copies';
    }, 'Bedrock ');
  }
  const arn = target.kind === 'arn' && target.arn.service === 'bedrock' && target.arn.resourceId !== '' ? target.arn : undefined;
  const label = target.kind === 'everything' ? 'Any Bedrock model (Resource "*")' : arn ? `Bedrock ${arn.resourceId}` : `Bedrock ${target.text}`;
  return builder.node(`endpoint:aws:${model.id}`, 'endpoint', 'aws', label, (draft) => {
    draft.encryptionAtRest = 'no data store declared for the model endpoint';
    if (!arn) {
      draft.location = builder.locate('aws', new Unresolved(target.text, 'the grant names no region'));
      draft.processingGeography = target.kind === 'everything' ? 'any model in any region the grant allows' : 'cannot be determined from the grant';
      draft.details.add(`resource ${target.text}`);
      return;
    }
    const { region, resourceType, resourceId } = arn;
    draft.details.add(`${resourceType} ${resourceId}`);
    const regionValue: Value =
      region === '' ? new Unresolved('(any region: the ARN names none)', 'a region-less ARN') : region === '*' || region.includes('${') ? new Unresolved(region, 'the grant does not fix the region') : region;
    draft.location = builder.locate('aws', regionValue);
    if (region === '') draft.details.add('region-less ARN (used by global cross-region inference)');
    setProcessing(builder, draft, processingGeography(builder, resourceType, resourceId, region));
  });
}

/** Where a model or profile processes prompts, and whether that is inside the policy's jurisdiction when the text alone decides it. */
interface Processing {
  readonly text: string;
  readonly verdict?: 'inside' | 'outside' | 'unverifiable';
}

function processingGeography(builder: FlowBuilder, resourceType: string, id: string, region: string): Processing {
  const jurisdiction = builder.policy.jurisdiction;
  if (resourceType === 'inference-profile') {
    const geography = geographyOfProfile(id);
    if (!geography || geography === 'wildcard') return { text: `unknown: inference profile prefix of "${id}" is not in the catalog`, verdict: 'unverifiable' };
    const { prefix, info } = geography;
    if (info.anywhere) return { text: `${info.name}: "${prefix}." cross-region inference profile${jurisdiction ? ` (outside ${jurisdiction})` : ''}`, verdict: 'outside' };
    const countries = [...new Set(info.destinationRegions.flatMap((destination) => builder.locate('aws', destination).countries))].sort();
    const inside = countriesInJurisdiction(countries, jurisdiction ?? '');
    const verdict = jurisdiction ? (inside ? ` (inside ${jurisdiction})` : ` (outside ${jurisdiction})`) : '';
    return { text: `${info.name}: "${prefix}." cross-region inference profile, ${info.destinationRegions.join(', ')}${verdict}`, ...(jurisdiction ? { verdict: inside ? ('inside' as const) : ('outside' as const) } : {}) };
  }
  if (resourceType === 'application-inference-profile') return { text: 'as the model or inference profile the application inference profile copies' };
  if (region === '') return { text: 'any region the calling global inference profile routes to', ...(jurisdiction ? { verdict: 'outside' as const } : {}) };
  return { text: `in-region: ${region}` };
}

/**
 * A model endpoint's processing; where prompts are processed outside the
 * jurisdiction (or cannot be known) the node's residency says so, whatever
 * region its ARN names: a reviewer reads the colour.
 */
function setProcessing(builder: FlowBuilder, draft: NodeDraft, processing: Processing): void {
  draft.processingGeography = processing.text;
  if (!draft.location || !builder.policy.constrainsResidency || processing.verdict === undefined || processing.verdict === 'inside') return;
  if (draft.location.residency === 'inside') draft.location = { ...draft.location, residency: processing.verdict };
}
