import { dataEventSites, declaredCentralLogging, describeSite, homeStackOf, trailCovers, trailRecordsDataEvents, trails } from '../../../analysis/invocation-sites';
import { CLAUSES } from '../../../policy/frameworks';
import { StackRule, Violation } from '../../rule';

/**
 * Bedrock's data-plane calls — invoking an agent or a flow, retrieving from a
 * knowledge base, applying a guardrail, rendering a prompt — are recorded by
 * CloudTrail only as data events, which a trail keeps only when an advanced
 * event selector asks for them by resources.type. Where the app makes such
 * calls, a trail covering that account and region records them.
 */
export const bedrockDataEvents: StackRule = {
  id: 'LCG-LOG-014',
  title: 'Bedrock agent, flow, knowledge-base, guardrail and prompt calls are recorded as CloudTrail data events',
  category: 'logging',
  severity: 'error',
  rationale:
    'CloudTrail records InvokeAgent, InvokeFlow, Retrieve, ApplyGuardrail and RenderPrompt as data events, not management events: a trail with only management events (the default) has no record of who sent text to an agent, a flow, a knowledge base or a guardrail, when, or from where. Audit controls (HIPAA §164.312(b), SOC 2 CC7.2, EU AI Act Art. 12) need that record, in the region the call is made in.',
  remediation:
    'Add an advanced event selector per resource type the app calls to a trail covering that account and region: eventCategory = Data and resources.type = AWS::Bedrock::AgentAlias (InvokeAgent), AWS::Bedrock::FlowAlias (InvokeFlow), AWS::Bedrock::KnowledgeBase (Retrieve), AWS::Bedrock::Guardrail (ApplyGuardrail) or AWS::Bedrock::PromptVersion (RenderPrompt) — or declare the organization trail that records them in the policy (centralLogging).',
  clauses: [CLAUSES.hipaaAuditControls, CLAUSES.soc2Monitoring, CLAUSES.aiActRecordKeeping],
  resourceTypes: ['stack'],
  formats: ['cloudformation', 'terraform'],
  checkStack(stack, context) {
    const sites = dataEventSites(context).filter((site) => homeStackOf(site) === stack);
    if (sites.length === 0) return undefined;
    const all = trails(context);
    return sites.flatMap((site): Violation[] => {
      if (declaredCentralLogging(context.policy.centralLogging, site, 'trail')) return [];
      // Where no trail covers the site at all, LCG-LOG-011 says so: one finding, not two.
      const covering = all.filter((trail) => trailCovers(trail, site) !== 'no');
      if (covering.length === 0) return [];
      const verdicts = covering.map((trail) => ({ trail, records: trailCovers(trail, site) === 'yes' ? trailRecordsDataEvents(trail, site.resourcesType) : 'unknown' }));
      if (verdicts.some(({ records }) => records === 'yes')) return [];
      const who = site.callers.length === 1 ? site.callers[0].why : `${site.callers[0].why} and ${site.callers.length - 1} more`;
      const trailsNamed = covering.map((trail) => trail.resource.path ?? trail.resource.id).join(', ');
      if (verdicts.some(({ records }) => records === 'unknown')) {
        return [
          {
            message: `Cannot verify that a trail records the ${site.resourcesType} data events of ${describeSite(site)} (${who}): a trail's scope or event selectors are known only at deploy time, or narrow the selector further.`,
            found: `trails ${trailsNamed}`,
            expected: `an advanced event selector with eventCategory = Data and resources.type = ${site.resourcesType}`,
            fix: 'write the trail settings and event selectors literally, selecting the resource type without further filters',
            attribute: 'environment',
            cannotVerify: true,
          },
        ];
      }
      return [
        {
          message: `Bedrock data-plane calls are made in ${describeSite(site)} (${who}), but no trail covering it records ${site.resourcesType} data events: those calls leave no audit record.`,
          found: `trails ${trailsNamed} record no data events of ${site.resourcesType}`,
          expected: `an advanced event selector with eventCategory = Data and resources.type = ${site.resourcesType}`,
          fix: `add to the trail an advanced event selector { eventCategory = Data, resources.type = ${site.resourcesType} } (BedrockAuditTrail records Bedrock data events), or declare the organization trail that does in the policy (centralLogging)`,
          attribute: 'environment',
        },
      ];
    });
  },
};
