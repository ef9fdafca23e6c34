import { declaredCentralLogging, describeSite, invocationSitesOf, trailCovers, trails } from '../../../analysis/invocation-sites';
import { CLAUSES } from '../../../policy/frameworks';
import { StackRule, Violation } from '../../rule';
import { describeCallers, oneConfigurationFix } from '../log-010-bedrock-invocation-logging-coverage/rule';

/**
 * Every account and region where the app may invoke Bedrock is covered by a
 * CloudTrail trail that records management events (where bedrock-runtime
 * calls are recorded): a trail of the app, or one the policy declares as
 * provided by a central logging account (an organization trail).
 */
export const bedrockTrailCoverage: StackRule = {
  id: 'LCG-LOG-011',
  title: 'Every account and region the app invokes Bedrock in is covered by a CloudTrail trail with management events',
  category: 'logging',
  severity: 'error',
  rationale:
    'Invocation logging records what was asked; CloudTrail records who called which Bedrock API, when and from where, and who changed the logging itself — in the region the call is made in. Event history keeps 90 days only; audits need a trail delivering to durable storage, usually an organization trail run from a log-archive account.',
  remediation:
    'Cover every account and region the app invokes in with a trail that records management events: BedrockAuditTrail (multi-region) or an aws_cloudtrail, or — in a landing zone — declare the organization trail in the policy (centralLogging, with its evidence).',
  clauses: [CLAUSES.hipaaAuditControls, CLAUSES.soc2Monitoring, CLAUSES.aiActRecordKeeping],
  resourceTypes: ['stack'],
  formats: ['cloudformation', 'terraform'],
  checkStack(stack, context) {
    const sites = invocationSitesOf(context, stack);
    if (sites.length === 0) return undefined;
    const all = trails(context);
    return sites.flatMap((site): Violation[] => {
      if (declaredCentralLogging(context.policy.centralLogging, site, 'trail')) return [];
      let unknown = false;
      const partial: string[] = [];
      const undecided: string[] = [];
      for (const trail of all) {
        const covers = trailCovers(trail, site);
        if (covers === 'unknown') unknown = true;
        if (covers !== 'yes') continue;
        if (!trail.gap) return [];
        (trail.gap.unknown ? undecided : partial).push(`${trail.resource.path ?? trail.resource.id}: ${trail.gap.text}`);
      }
      const environment = describeSite(site);
      const who = describeCallers(site);
      if (undecided.length > 0) {
        return [
          {
            message: `Cannot verify that a trail records the Bedrock API calls in ${environment} (${who}): a trail setting is known only at deploy time.`,
            found: [...undecided, ...partial].join('; '),
            expected: 'a logging trail that records management events',
            fix: 'write the logging switch and the event selectors of the trail as literal values',
            attribute: 'environment',
            cannotVerify: true,
          },
        ];
      }
      if (partial.length > 0) {
        return [
          {
            message: `Bedrock may be invoked in ${environment} (${who}) but no trail covering it records those API calls.`,
            found: partial.join('; '),
            expected: 'a logging trail that records management events',
            fix: 'turn logging on and include management events (an advanced event selector with eventCategory = Management, or no selectors at all)',
            attribute: 'environment',
          },
        ];
      }
      if (unknown || !('known' in site.account) || !('known' in site.region)) {
        return [
          {
            message: `Cannot verify that ${who} is covered by a CloudTrail trail: the account or region it invokes in, or a trail's scope, is known only at deploy time.`,
            found: `invokes in ${environment}`,
            expected: `a trail covering ${environment}`,
            fix: 'give every stack an explicit env: { account, region }, write trail settings literally, or declare the organization trail in the policy (centralLogging)',
            attribute: 'environment',
            cannotVerify: true,
          },
        ];
      }
      return [
        {
          message: `Bedrock may be invoked in ${environment} (${who}) but no CloudTrail trail of the app covers it, and the policy declares none.`,
          found: all.length === 0 ? 'no trail in the app' : `trails only for ${all.map((trail) => `${describeSite(trail)}${trail.multiRegion === true ? ' (all regions)' : ''}`).join(', ')}`,
          expected: `a trail recording management events in ${environment} (a multi-region trail in the account, or an organization trail)`,
          fix: oneConfigurationFix('add a multi-region trail (BedrockAuditTrail, or aws_cloudtrail with is_multi_region_trail)', site),
          attribute: 'environment',
        },
      ];
    });
  },
};
