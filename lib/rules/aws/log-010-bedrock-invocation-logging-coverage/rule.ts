import { describeEnvironment, sameAccountAndRegion } from '../../../analysis/environments';
import { describeGrant, invokeGrantsByStack } from '../../../analysis/iam';
import { CFN } from '../../../analysis/resource-types';
import { Unresolved, block, describeValue, switchValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, StackRule } from '../../rule';

/**
 * A stack that can invoke Bedrock has model-invocation logging, with text
 * delivery on, in its account and region, somewhere in the app.
 */
export const bedrockInvocationLoggingCoverage: StackRule = {
  id: 'LCG-LOG-010',
  title: 'Stacks that can invoke Bedrock have model-invocation logging in their account and region',
  category: 'logging',
  severity: 'error',
  rationale:
    'Bedrock model-invocation logging is off by default and is one setting per account and region. Without it there is no record of which prompts were sent and what the model answered: no audit trail for SOC 2 CC7.2, HIPAA §164.312(b) or EU AI Act Art. 12. CloudFormation has no resource for it, so the app must carry the BedrockInvocationLogging construct (custom resource Custom::BedrockInvocationLogging).',
  remediation: 'Add new BedrockInvocationLogging(stack, "InvocationLogging") in the same account and region (one per account and region), with text data delivery on.',
  clauses: [CLAUSES.hipaaAuditControls, CLAUSES.soc2Monitoring, CLAUSES.aiActRecordKeeping, CLAUSES.gdprAccountability],
  resourceTypes: ['stack'],
  formats: ['cloudformation'],
  checkStack(stack, context) {
    if (stack.format !== 'cloudformation') return undefined;
    const grants = invokeGrantsByStack(context).get(stack.name);
    if (!grants || grants.length === 0) return undefined;
    const configurations = context.graph.ofType(CFN.invocationLogging);
    let unknown = false;
    let textOff: string | undefined;
    let textUnknown: string | undefined;
    for (const configuration of configurations) {
      const same = sameAccountAndRegion(stack, configuration.stack);
      if (same === 'unknown') unknown = true;
      if (same !== 'yes') continue;
      const config = configuration.properties.LoggingConfig;
      const text = config instanceof Unresolved ? 'unknown' : switchValue(block(config)?.textDataDeliveryEnabled);
      if (text === true) return COMPLIANT;
      if (text === 'unknown') textUnknown = `${configuration.path ?? configuration.id}: LoggingConfig${config instanceof Unresolved ? '' : '.textDataDeliveryEnabled'} = ${describeValue(config instanceof Unresolved ? config : block(config)?.textDataDeliveryEnabled)}`;
      else textOff = configuration.path ?? configuration.id;
    }
    const who = describeGrant(grants[0]);
    const environment = describeEnvironment(stack);
    if (textUnknown) {
      return [
        {
          message: `Cannot verify that the invocation logging of ${environment} records the prompts and responses of stack "${stack.name}": text data delivery is known only at deploy time.`,
          found: textUnknown,
          expected: 'textDataDeliveryEnabled: true',
          fix: 'write textDataDeliveryEnabled as a literal true',
          attribute: 'LoggingConfig.textDataDeliveryEnabled',
          cannotVerify: true,
        },
      ];
    }
    if (textOff) {
      return [
        {
          message: `Stack "${stack.name}" can invoke Bedrock (${who}) but the invocation logging of ${environment} does not record prompts and responses.`,
          found: `${textOff}: LoggingConfig.textDataDeliveryEnabled is not true`,
          expected: 'textDataDeliveryEnabled: true',
          fix: 'turn text data delivery on (BedrockInvocationLogging does by default)',
          attribute: 'LoggingConfig.textDataDeliveryEnabled',
        },
      ];
    }
    if (unknown) {
      return [
        {
          message: `Cannot verify that stack "${stack.name}" (which can invoke Bedrock through ${who}) has model-invocation logging: the account or region of a stack is known only at deploy time.`,
          found: `stack environment ${environment}; ${configurations.length} invocation logging configuration(s) in other stacks`,
          expected: `Custom::BedrockInvocationLogging in ${environment}`,
          fix: 'give every stack an explicit env: { account, region }, or add BedrockInvocationLogging to this stack',
          attribute: 'environment',
          cannotVerify: true,
        },
      ];
    }
    return [
      {
        message: `Stack "${stack.name}" can invoke Bedrock (${who}) but no model-invocation logging is configured for ${environment}.`,
        found: configurations.length === 0 ? 'no Custom::BedrockInvocationLogging in the app' : `invocation logging only for ${configurations.map((item) => describeEnvironment(item.stack)).join(', ')}`,
        expected: `Custom::BedrockInvocationLogging in ${environment} with textDataDeliveryEnabled: true`,
        attribute: 'environment',
      },
    ];
  },
};
