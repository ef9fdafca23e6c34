/**
 * External LLM providers in the data flow: each declaration is an endpoint
 * node with its posture (where it processes, BAA, retention, training, when
 * its evidence goes stale); the resources that show they call the provider
 * reach it over the public internet; a fallback is reached from its primary
 * (a declared `fallbackFor`, or an LLM gateway's `fallbacks`).
 */
import { ProviderSign, catalogEntryOf, declarationOf, declarationsFor, evidenceExpiries, PROVIDER_DECLARATION, processingAllowed, processingOf, providerSignsOf } from '../../analysis/providers';
import type { Resource } from '../../core/graph';
import { FlowBuilder, IN_TRANSIT, NodeDraft, callerNode } from '../builder';

export function discoverProviders(builder: FlowBuilder): void {
  const { graph, policy } = builder.context;
  const declarations = graph.ofType(PROVIDER_DECLARATION);
  if (declarations.length === 0) return;
  // Callers by declaration: a sign reaches the declarations that cover it (a partner model only its offering's).
  const callers = new Map<Resource, Resource[]>();
  const declaredIds = new Set(declarations.map((resource) => declarationOf(resource)!.provider));
  const uncovered = new Map<string, { readonly sign: ProviderSign; readonly resources: Resource[] }>();
  const gateways: Resource[] = [];
  for (const resource of graph.resources) {
    const { signs, failovers } = providerSignsOf(builder.context, resource);
    if (failovers.length > 0) gateways.push(resource);
    for (const sign of signs) {
      const covering = declarationsFor(builder.context, sign);
      for (const declared of covering) {
        let list = callers.get(declared);
        if (!list) callers.set(declared, (list = []));
        if (!list.includes(resource)) list.push(resource);
      }
      // A call to a declared provider at a host or region no declaration covers is drawn to an endpoint of its own.
      if (covering.length === 0 && declaredIds.has(sign.provider.id)) {
        const id = undeclaredEndpointId(sign);
        let entry = uncovered.get(id);
        if (!entry) uncovered.set(id, (entry = { sign, resources: [] }));
        if (!entry.resources.includes(resource)) entry.resources.push(resource);
      }
    }
  }
  const internet = builder.node('network:external:public-internet', 'network', 'external', 'Public internet (external provider APIs)', (draft) => {
    draft.details.add('calls to providers outside the three clouds');
  });
  const nodes = new Map<string, NodeDraft>();
  for (const resource of declarations) {
    const declaration = declarationOf(resource)!;
    const { offering } = catalogEntryOf(declaration);
    const processing = processingOf(declaration);
    const node = builder.node(`endpoint:${resource.key}`, 'endpoint', 'external', `${offering.name} (${declaration.name})`, (draft) => {
      builder.attach(draft, resource);
      draft.location = {
        region: declaration.host ?? declaration.region ?? '(no host or region declared)',
        countries: processing.status === 'known' && processing.countries !== 'anywhere' ? [...processing.countries] : [],
        residency: !policy.constrainsResidency ? 'unconstrained' : processing.status === 'unknown' ? 'unverifiable' : processingAllowed(policy, processing) ? 'inside' : 'outside',
      };
      draft.processingGeography = processing.status === 'known' ? `${processing.where} (${processing.how})` : `unknown: ${processing.reason}`;
      draft.retention = declaration.evidence.zeroRetention ? `zero retention (approved ${declaration.evidence.zeroRetention.approved})` : offering.retention.description;
      draft.details.add(`data sent: ${declaration.dataClassification}`);
      if (declaration.licence) draft.details.add(`model licence: ${declaration.licence}`);
      draft.details.add(`BAA: ${declaration.evidence.baa ? `signed ${declaration.evidence.baa.signed}` : offering.baa.status}`);
      draft.details.add(`training on API data: ${declaration.evidence.trainingOptOut ? `opted out ${declaration.evidence.trainingOptOut.date}` : offering.training.status}`);
      for (const expiry of evidenceExpiries(declaration)) if (expiry.expires !== null) draft.details.add(`${expiry.document} stale on ${expiry.expires}`);
    });
    nodes.set(declaration.name, node);
    const calling = callers.get(resource) ?? [];
    const sources = calling.length > 0 ? calling.map((caller) => callerNode(builder, caller)) : [builder.node('caller:external:providers', 'caller', 'external', 'Callers outside this configuration (external providers)')];
    for (const source of sources) {
      builder.hop(source, internet, 'prompts and model responses', IN_TRANSIT.publicInternet);
      builder.hop(internet, node, 'prompts and model responses', IN_TRANSIT.toEndpoint);
      builder.reach(source, node);
    }
  }
  for (const [id, { sign, resources }] of uncovered) {
    const where = sign.host ?? sign.region ?? '(no host or region)';
    const node = builder.node(id, 'endpoint', 'external', `${sign.provider.name} at ${where} (not declared)`, (draft) => {
      draft.location = { region: where, countries: [], residency: policy.constrainsResidency ? 'unverifiable' : 'unconstrained' };
      draft.processingGeography = `unknown: the app declares ${sign.provider.name} only at another ${sign.host !== undefined ? 'host' : 'region'}`;
      draft.details.add('not declared: its residency, retention and evidence are unknown');
    });
    for (const resource of resources) {
      const source = callerNode(builder, resource);
      builder.hop(source, internet, 'prompts and model responses', IN_TRANSIT.publicInternet);
      builder.hop(internet, node, 'prompts and model responses', IN_TRANSIT.toEndpoint);
      builder.reach(source, node);
    }
  }
  for (const resource of declarations) {
    const declaration = declarationOf(resource)!;
    const primary = declaration.fallbackFor ? nodes.get(declaration.fallbackFor) : undefined;
    if (primary) builder.hop(primary, nodes.get(declaration.name)!, `prompts and model responses, when ${declaration.fallbackFor} fails (failover)`, IN_TRANSIT.publicInternet);
  }
  for (const gateway of gateways) {
    for (const failover of providerSignsOf(builder.context, gateway).failovers) {
      for (const primary of declarationsFor(builder.context, failover.primary)) {
        for (const fallback of declarationsFor(builder.context, failover.fallback)) {
          builder.hop(nodes.get(declarationOf(primary)!.name)!, nodes.get(declarationOf(fallback)!.name)!, `prompts and model responses, when ${failover.primary.model} fails (gateway fallbacks in ${gateway.id})`, IN_TRANSIT.publicInternet);
        }
      }
    }
  }
}

/** The node id of a call to a declared provider at a host or region that no declaration covers. */
export function undeclaredEndpointId(sign: Pick<ProviderSign, 'provider' | 'host' | 'region'>): string {
  return `endpoint:external:undeclared:${sign.provider.id}:${sign.host ?? sign.region ?? ''}`;
}
