import { InvocationSite, configCovers, declaredCentralLogging, describeSite, invocationLoggingConfigs, invocationSitesOf } from '../../../analysis/invocation-sites';
import { CLAUSES } from '../../../policy/frameworks';
import { StackRule, Violation } from '../../rule';

/**
 * Every account and region where the app may invoke Bedrock has
 * model-invocation logging with text delivery on: configured in the app, or
 * declared in the policy as provided by a central logging account.
 */
export const bedrockInvocationLoggingCoverage: StackRule = {
  id: 'LCG-LOG-010',
  title: 'Every account and region the app invokes Bedrock in has model-invocation logging',
  category: 'logging',
  severity: 'error',
  rationale:
    'Bedrock model-invocation logging is off by default and is one setting per account and region, recorded in the region the call is made in. A function in eu-central-1 that may only invoke a model in us-east-1 is logged only if us-east-1 has invocation logging. Without it there is no record of which prompts were sent and what the model answered: no audit trail for SOC 2 CC7.2, HIPAA §164.312(b) or EU AI Act Art. 12.',
  remediation:
    'Configure invocation logging, with text data delivery on, once per account and region the app invokes in: BedrockInvocationLogging (CloudFormation) or aws_bedrock_model_invocation_logging_configuration (Terraform). Where a central logging account already configures it, declare that in the policy (centralLogging, with its evidence) instead of adding a second configuration: the setting is account-wide and the last writer wins.',
  clauses: [CLAUSES.hipaaAuditControls, CLAUSES.soc2Monitoring, CLAUSES.aiActRecordKeeping, CLAUSES.gdprAccountability],
  resourceTypes: ['stack'],
  formats: ['cloudformation', 'terraform'],
  checkStack(stack, context) {
    const sites = invocationSitesOf(context, stack);
    if (sites.length === 0) return undefined;
    return sites.flatMap((site) => siteViolation(site, context));
  },
};

/** Who may invoke at a site, for messages: the first caller, and how many more. */
export function describeCallers(site: InvocationSite): string {
  const [first, ...rest] = site.callers;
  return `${first.why}${rest.length > 0 ? ` and ${rest.length} more` : ''}`;
}

/** The fix when a site has no logging: one configuration per account and region, never a second one. */
export function oneConfigurationFix(what: string, site: InvocationSite): string {
  return `${what} for ${describeSite(site)} — exactly one per account and region, in the stack that owns account-wide settings; if a central logging account already provides it, declare it in the policy's centralLogging with its evidence instead of adding a second configuration`;
}

function siteViolation(site: InvocationSite, context: Parameters<StackRule['checkStack']>[1]): Violation[] {
  if (declaredCentralLogging(context.policy.centralLogging, site, 'invocation-logging')) return [];
  const configs = invocationLoggingConfigs(context);
  let unknown = false;
  let textOff: string | undefined;
  let textUnknown: string | undefined;
  for (const config of configs) {
    const covers = configCovers(config, site);
    if (covers === 'unknown') unknown = true;
    if (covers !== 'yes') continue;
    if (config.text === true) return [];
    const where = `${config.resource.path ?? config.resource.id}: ${config.textFound}`;
    if (config.text === 'unknown') textUnknown = where;
    else textOff = where;
  }
  const environment = describeSite(site);
  const who = describeCallers(site);
  if (textUnknown) {
    return [
      {
        message: `Cannot verify that the invocation logging of ${environment} records the prompts and responses of ${who}: text data delivery is known only at deploy time.`,
        found: textUnknown,
        expected: 'text data delivery on (textDataDeliveryEnabled / text_data_delivery_enabled: true)',
        fix: 'write the text data delivery setting as a literal true',
        attribute: 'LoggingConfig.textDataDeliveryEnabled',
        cannotVerify: true,
      },
    ];
  }
  if (textOff) {
    return [
      {
        message: `Bedrock may be invoked in ${environment} (${who}) but its invocation logging does not record prompts and responses.`,
        found: textOff,
        expected: 'text data delivery on (textDataDeliveryEnabled / text_data_delivery_enabled: true)',
        fix: 'turn text data delivery on (BedrockInvocationLogging does by default)',
        attribute: 'LoggingConfig.textDataDeliveryEnabled',
      },
    ];
  }
  if (unknown || !('known' in site.account) || !('known' in site.region)) {
    if (configs.length > 0 || !('known' in site.region)) {
      return [
        {
          message: `Cannot verify that ${who} is covered by model-invocation logging: the account or region it invokes in, or of a logging configuration, is known only at deploy time.`,
          found: `invokes in ${environment}; invocation logging for ${configs.map((config) => describeSite(config)).join(', ') || 'no account and region'}`,
          expected: `invocation logging in ${environment}`,
          fix: 'give every stack an explicit env: { account, region } and write model ARNs and region settings literally',
          attribute: 'environment',
          cannotVerify: true,
        },
      ];
    }
  }
  return [
    {
      message: `Bedrock may be invoked in ${environment} (${who}) but no model-invocation logging is configured there.`,
      found: configs.length === 0 ? 'no invocation logging configuration in the app, and none declared in the policy' : `invocation logging only for ${configs.map((config) => describeSite(config)).join(', ')}`,
      expected: `invocation logging with text data delivery in ${environment}`,
      fix: oneConfigurationFix('configure invocation logging (BedrockInvocationLogging, or aws_bedrock_model_invocation_logging_configuration)', site),
      attribute: 'environment',
    },
  ];
}
