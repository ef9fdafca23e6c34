import { catalogEntryOf, declarationOf, declarationsFor, GatewayFailover, PROVIDER_DECLARATION, ProviderDeclaration, processingOf, providerSignsOf, targetName } from '../../../analysis/providers';
import type { AnalysisContext } from '../../../analysis/context';
import type { Resource } from '../../../core/graph';
import { CLAUSES } from '../../../policy/frameworks';
import { DATA_CLASSIFICATIONS } from '../../../policy/spec';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

/**
 * A fallback provider (a declaration with `fallbackFor`, or a model an LLM
 * gateway's `fallbacks` list routes to) has a posture at least as strong as
 * the primary's on every axis: where it processes, BAA, provider retention,
 * training. Failover must not route regulated data to a weaker provider the
 * moment the primary is down.
 */
export const failoverPosture: ResourceRule = {
  id: 'LCG-PRV-007',
  title: 'Fallback providers match the posture of the provider they take over from',
  category: 'provider',
  severity: 'error',
  rationale:
    'Failover and routing send the same prompts to another provider without a review: a fallback outside the primary\'s jurisdiction, without its BAA, keeping data longer or training on it, silently weakens every commitment the primary was chosen for.',
  remediation: 'Choose a fallback with the primary\'s posture on every axis (an in-jurisdiction option, a BAA, zero retention, no training), or remove it from the failover group.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.hipaaBusinessAssociates, CLAUSES.soc2VendorManagement],
  resourceTypes: ['*'],
  formats: ['cloudformation', 'terraform'],
  check(resource, context) {
    const { graph } = context;
    if (resource.type !== PROVIDER_DECLARATION) {
      const { failovers, unjudgedFailovers } = providerSignsOf(context, resource);
      if (failovers.length === 0 && unjudgedFailovers.length === 0) return undefined;
      const violations = [
        ...gatewayFailoverViolations(context, failovers),
        ...unjudgedFailovers.map(
          (what): Violation => ({
            message: `Cannot verify the posture of an LLM gateway failover of ${resource.type} "${resource.id}": ${what.slice(what.indexOf(': ') + 2)}.`,
            found: what,
            expected: 'failovers between declared external providers, in a configuration the guardrail can read',
            fix: 'write the gateway configuration literally, or compare the members by hand and acknowledge LCG-PRV-007 for it with a reason and an expiry date',
            attribute: what.slice(0, what.indexOf(': ')),
            cannotVerify: true,
          }),
        ),
      ];
      return violations.length > 0 ? violations : COMPLIANT;
    }
    const fallback = declarationOf(resource);
    if (!fallback?.fallbackFor) return undefined;
    const primaryResource = graph.ofType(PROVIDER_DECLARATION).find((candidate: Resource) => candidate.id === fallback.fallbackFor && candidate.stack === resource.stack) ?? graph.ofType(PROVIDER_DECLARATION).find((candidate: Resource) => candidate.id === fallback.fallbackFor);
    if (!primaryResource) {
      return [{ message: `"${fallback.name}" is declared as the fallback of "${fallback.fallbackFor}", which is not declared.`, found: `fallbackFor = ${fallback.fallbackFor}`, expected: 'the name of a declared provider', fix: `declare "${fallback.fallbackFor}", or correct fallbackFor`, attribute: 'fallbackFor' }];
    }
    const violations = axisViolations(declarationOf(primaryResource)!, fallback, '');
    return violations.length > 0 ? violations : COMPLIANT;
  },
};

function axisViolations(primary: ProviderDeclaration, fallback: ProviderDeclaration, via: string): Violation[] {
  return weakerAxes(primary, fallback).map((axis) => ({
    message: `Fallback "${fallback.name}" is weaker than primary "${primary.name}"${via} on ${axis.axis}: ${axis.detail}.`,
    found: `${fallback.name}: ${axis.fallback}`,
    expected: `at least ${primary.name}'s: ${axis.primary}`,
    fix: `use a fallback that matches ${primary.name} on ${axis.axis}, or remove "${fallback.name}" from the failover`,
    attribute: axis.axis,
    ...(axis.unknown ? { cannotVerify: true, message: `Cannot verify that fallback "${fallback.name}" matches primary "${primary.name}"${via} on ${axis.axis}: ${axis.detail}.` } : {}),
  }));
}

/**
 * The failovers of an LLM gateway configuration, judged between the
 * declarations of their members; a member that is not declared cannot be
 * judged (LCG-PRV-002 asks for its declaration).
 */
function gatewayFailoverViolations(context: AnalysisContext, failovers: readonly GatewayFailover[]): Violation[] {
  const violations: Violation[] = [];
  const seen = new Set<string>();
  for (const failover of failovers) {
    const via = ` (gateway fallback ${failover.primary.model} → ${failover.fallback.model} in ${failover.where})`;
    const primaries = declarationsFor(context, failover.primary).map((resource) => declarationOf(resource)!);
    const fallbacks = declarationsFor(context, failover.fallback).map((resource) => declarationOf(resource)!);
    const missing = [...(primaries.length === 0 ? [failover.primary] : []), ...(fallbacks.length === 0 ? [failover.fallback] : [])];
    if (missing.length > 0) {
      violations.push({
        message: `Cannot verify the gateway failover from ${failover.primary.model} to ${failover.fallback.model}: ${missing.map((member) => `${member.model} (${targetName(member)}${member.host ? ` at ${member.host}` : ''})`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not declared.`,
        found: `${failover.where}: fallbacks ${failover.primary.model} → ${failover.fallback.model}`,
        expected: 'both members declared, the fallback with the primary\'s posture',
        fix: `declare ${missing.map((member) => member.provider.id + (member.offering ? ` (offering ${member.offering.id})` : '')).join(' and ')}, with the evidence you hold`,
        attribute: failover.where,
        cannotVerify: true,
      });
      continue;
    }
    for (const primary of primaries) {
      for (const fallback of fallbacks) {
        for (const violation of axisViolations(primary, fallback, via)) {
          if (seen.has(violation.message)) continue;
          seen.add(violation.message);
          violations.push({ ...violation, attribute: failover.where });
        }
      }
    }
  }
  return violations;
}

interface Axis {
  readonly axis: string;
  readonly detail: string;
  readonly primary: string;
  readonly fallback: string;
  readonly unknown?: boolean;
}

const TRAINING_RANK: { readonly [status: string]: number } = { no: 0, 'opt-in': 0, 'unless-opted-out': 1, yes: 2 };

function weakerAxes(primary: ProviderDeclaration, fallback: ProviderDeclaration): Axis[] {
  const axes: Axis[] = [];
  const p = catalogEntryOf(primary).offering;
  const f = catalogEntryOf(fallback).offering;
  const whereP = processingOf(primary);
  const whereF = processingOf(fallback);
  if (whereP.status === 'known' && whereF.status === 'known') {
    const within = whereF.countries !== 'anywhere' && (whereP.countries === 'anywhere' || whereF.countries.every((country) => (whereP.countries as readonly string[]).includes(country)));
    if (!within) axes.push({ axis: 'jurisdiction', detail: `it processes in ${whereF.where}, the primary only in ${whereP.where}`, primary: whereP.where, fallback: whereF.where });
  } else if (whereP.status === 'known') {
    axes.push({ axis: 'jurisdiction', detail: whereF.status === 'unknown' ? whereF.reason : 'unknown', primary: whereP.where, fallback: 'unknown', unknown: true });
  }
  const baaP = primary.evidence.baa !== undefined || p.baa.status === 'not-applicable';
  const baaF = fallback.evidence.baa !== undefined || f.baa.status === 'not-applicable';
  if (baaP && !baaF) axes.push({ axis: 'BAA', detail: `${primary.name} is under a BAA, ${fallback.name} is not`, primary: 'a BAA', fallback: 'no BAA declared' });
  const zeroP = p.retention.zeroRetention === 'default' || primary.evidence.zeroRetention !== undefined;
  const zeroF = f.retention.zeroRetention === 'default' || fallback.evidence.zeroRetention !== undefined;
  if (zeroP && !zeroF) axes.push({ axis: 'retention', detail: `${primary.name} keeps nothing, ${fallback.name} ${f.retention.description}`, primary: 'zero retention', fallback: f.retention.days === null ? 'retention unknown' : `${f.retention.days} days` });
  else if (!zeroP && !zeroF && p.retention.days !== null && (f.retention.days === null || f.retention.days > p.retention.days)) {
    axes.push({ axis: 'retention', detail: `${fallback.name} keeps prompts ${f.retention.days === null ? 'for an unknown time' : `${f.retention.days} days`}, ${primary.name} ${p.retention.days} days`, primary: `${p.retention.days} days`, fallback: f.retention.days === null ? 'unknown' : `${f.retention.days} days`, unknown: f.retention.days === null });
  }
  const trainsP = primary.evidence.trainingOptOut !== undefined && p.training.status !== 'yes' ? 0 : (TRAINING_RANK[p.training.status] ?? 3);
  const trainsF = fallback.evidence.trainingOptOut !== undefined && f.training.status !== 'yes' ? 0 : (TRAINING_RANK[f.training.status] ?? 3);
  if (trainsF > trainsP) axes.push({ axis: 'training', detail: `${f.name}: ${f.training.description}`, primary: p.training.description, fallback: f.training.description, unknown: f.training.status === 'unknown' });
  // A fallback receives the data its primary does: declared as less sensitive, it escapes what that data requires (a BAA, a fresh review).
  const rank = (classification: string): number => (DATA_CLASSIFICATIONS as readonly string[]).indexOf(classification);
  if (rank(fallback.dataClassification) < rank(primary.dataClassification)) {
    axes.push({ axis: 'data classification', detail: `${fallback.name} is declared ${fallback.dataClassification} but receives the ${primary.dataClassification} data of ${primary.name}`, primary: primary.dataClassification, fallback: fallback.dataClassification });
  }
  return axes;
}
