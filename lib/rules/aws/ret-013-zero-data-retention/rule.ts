import { accountOf, declaredCentralLogging, describeSite, invocationSitesOf, regionOf } from '../../../analysis/invocation-sites';
import { CFN } from '../../../analysis/resource-types';
import { describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { StackRule, Violation } from '../../rule';
import { describeCallers, oneConfigurationFix } from '../log-010-bedrock-invocation-logging-coverage/rule';

/**
 * When the policy requires zero data retention, every account and region the
 * app invokes Bedrock in has the account data retention mode `none` — set by
 * BedrockDataRetention, or declared in the policy as provided centrally.
 */
export const zeroDataRetention: StackRule = {
  id: 'LCG-RET-013',
  title: 'Accounts and regions the app invokes Bedrock in keep no prompts or outputs (data retention mode none)',
  category: 'retention',
  severity: 'error',
  rationale:
    'Bedrock\'s account data retention mode decides whether prompts and outputs may be stored by AWS (abuse detection, review) or shared with the model provider. It is one setting per account and region; a region never set stays at inherit, where each model\'s default applies. A policy that promises zero retention holds only where the mode is none.',
  remediation:
    'Set the mode to none in every account and region the app invokes in: BedrockDataRetention (one per account and region), or declare it in the policy (centralLogging with provides: [zero-data-retention] and its evidence) when a central account sets it.',
  clauses: [CLAUSES.gdprStorageLimitation, CLAUSES.hipaaAccessControl],
  resourceTypes: ['stack'],
  formats: ['cloudformation', 'terraform'],
  appliesUnder: (policy) => policy.requireZeroDataRetention,
  checkStack(stack, context) {
    const sites = invocationSitesOf(context, stack);
    if (sites.length === 0) return undefined;
    const settings = context.graph.ofType(CFN.dataRetention);
    return sites.flatMap((site): Violation[] => {
      if (declaredCentralLogging(context.policy.centralLogging, site, 'zero-data-retention')) return [];
      const here = settings.filter((setting) => {
        const account = accountOf(setting);
        const region = regionOf(setting);
        const same = (a: typeof account, b: typeof account): boolean => 'known' in a && 'known' in b && a.known === b.known;
        return same(account, site.account) && same(region, site.region);
      });
      const who = describeCallers(site);
      const environment = describeSite(site);
      const declared = context.policy.centralLogging.some((entry) => entry.provides.includes('zero-data-retention'));
      if (here.length === 0 && (!('known' in site.account) || !('known' in site.region)) && (settings.length > 0 || declared)) {
        return [
          {
            message: `Cannot verify the data retention mode where ${who} invokes Bedrock: the account or region is known only at deploy time.`,
            found: `invokes in ${environment}`,
            expected: 'data retention mode none there',
            fix: 'give the stack an explicit env (or the aws provider a literal region), so that the setting or declaration can be matched',
            attribute: 'environment',
            cannotVerify: true,
          },
        ];
      }
      if (here.length === 0) {
        return [
          {
            message: `Bedrock may be invoked in ${environment} (${who}) but nothing in the app sets its data retention mode: the region stays at inherit, where each model's default retention applies.`,
            found: settings.length === 0 ? 'no data retention setting in the app, and none declared in the policy' : `data retention set only for ${settings.map((setting) => describeSite({ account: accountOf(setting), region: regionOf(setting) })).join(', ')}`,
            expected: `data retention mode none in ${environment}`,
            fix: oneConfigurationFix('set the data retention mode to none (BedrockDataRetention)', site),
            attribute: 'environment',
          },
        ];
      }
      const mode = here[0].properties.Mode;
      if (mode === 'none') return [];
      if (typeof mode !== 'string') {
        return [{ message: `Cannot verify the data retention mode of ${environment} (${who}): it is known only at deploy time.`, found: `${here[0].id}: Mode = ${describeValue(mode)}`, expected: 'Mode: none', fix: 'write the mode literally', attribute: 'Mode', cannotVerify: true }];
      }
      return [{ message: `The data retention mode of ${environment} (${who}) lets AWS or the model provider keep prompts and outputs.`, found: `${here[0].id}: Mode = ${mode}`, expected: 'Mode: none', fix: 'set the mode to none', attribute: 'Mode' }];
    });
  },
};
