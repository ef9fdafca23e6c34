import type { AnalysisContext } from '../../../analysis/context';
import { withArticle } from '../../../core/printable';
import { describeEnvironment, sameAccountAndRegion } from '../../../analysis/environments';
import { resolveResource } from '../../../analysis/resolve';
import { CFN } from '../../../analysis/resource-types';
import type { Resource } from '../../../core/graph';
import { Unresolved, Value, block, describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule, Violation } from '../../rule';

const LOG_GROUP = CFN.logGroup;
const BUCKET = CFN.bucket;

/**
 * Model-invocation logging names at least one destination, and every
 * destination is defined in the app (so the retention and encryption rules
 * can judge it) in the same account and region.
 */
export const bedrockInvocationLoggingDestinations: ResourceRule = {
  id: 'LCG-LOG-012',
  title: 'Bedrock invocation logging delivers to destinations defined in the app, in its account and region',
  category: 'logging',
  severity: 'error',
  rationale:
    'Invocation logs hold prompts and responses. Bedrock only delivers to a log group and bucket in the same account and region; a destination the app does not define cannot be checked for retention (audit minimum, storage limitation) or encryption, so the guardrail cannot show the logs are kept as the policy requires.',
  remediation: 'Let BedrockInvocationLogging create its log group and bucket, or pass ones defined in the same stack (logGroup / bucket props).',
  clauses: [CLAUSES.hipaaAuditControls, CLAUSES.soc2Monitoring, CLAUSES.aiActLogRetention, CLAUSES.gdprStorageLimitation],
  resourceTypes: [CFN.invocationLogging],
  check(resource, context) {
    const config = block(resource.properties.LoggingConfig);
    if (!config) {
      return [
        {
          message: `Cannot verify where invocation logging "${resource.id}" delivers logs: LoggingConfig is missing or known only at deploy time.`,
          found: `LoggingConfig = ${describeValue(resource.properties.LoggingConfig)}`,
          expected: 'a LoggingConfig with cloudWatchConfig and/or s3Config',
          attribute: 'LoggingConfig',
          cannotVerify: true,
        },
      ];
    }
    const cloudWatch = block(config.cloudWatchConfig);
    const s3 = block(config.s3Config);
    if (!cloudWatch && !s3) {
      return [
        {
          message: `Invocation logging "${resource.id}" names no destination, so no invocation is recorded.`,
          found: 'LoggingConfig has neither cloudWatchConfig nor s3Config',
          expected: 'cloudWatchConfig.logGroupName and/or s3Config.bucketName',
          attribute: 'LoggingConfig',
        },
      ];
    }
    const violations: Violation[] = [];
    const checkDestination = (value: Value | undefined, type: string, attribute: string): void => {
      const destination = findDestination(context, value, type);
      const kind = type === LOG_GROUP ? 'log group' : 'bucket';
      if (!destination) {
        violations.push({
          message: `Cannot verify retention and encryption of invocation-log ${kind} ${describeValue(value)}: it is not defined in this app.`,
          found: `${attribute} = ${describeValue(value)}`,
          expected: `${withArticle(type)} defined in the app`,
          fix: `define the ${kind} in the same stack and reference it`,
          attribute,
          cannotVerify: true,
        });
        return;
      }
      const same = sameAccountAndRegion(resource.stack, destination.stack);
      if (same === 'yes') return;
      violations.push({
        message:
          same === 'no'
            ? `Invocation-log ${kind} "${destination.id}" is in ${describeEnvironment(destination.stack)}, but Bedrock delivers only to destinations in ${describeEnvironment(resource.stack)}.`
            : `Cannot verify that invocation-log ${kind} "${destination.id}" is in the account and region of the logging configuration: an environment is known only at deploy time.`,
        found: `${attribute} → ${destination.path ?? destination.id} in ${describeEnvironment(destination.stack)}`,
        expected: `a ${kind} in ${describeEnvironment(resource.stack)}`,
        fix: `create the ${kind} in the stack that configures the logging`,
        attribute,
        ...(same === 'unknown' ? { cannotVerify: true } : {}),
      });
    };
    if (cloudWatch) {
      checkDestination(cloudWatch.logGroupName, LOG_GROUP, 'LoggingConfig.cloudWatchConfig.logGroupName');
      if (cloudWatch.roleArn instanceof Unresolved && /AWS::NoValue|Fn::If/.test(cloudWatch.roleArn.expression)) {
        violations.push({
          message: `Cannot verify that invocation logging "${resource.id}" has a delivery role for CloudWatch Logs: the role is chosen at deploy time and may be absent.`,
          found: `LoggingConfig.cloudWatchConfig.roleArn = ${cloudWatch.roleArn.expression}`,
          expected: 'the ARN of a role Bedrock may assume to write to the log group',
          fix: 'name the delivery role without a condition',
          attribute: 'LoggingConfig.cloudWatchConfig.roleArn',
          cannotVerify: true,
        });
      } else if (cloudWatch.roleArn === undefined) {
        violations.push({
          message: `Invocation logging "${resource.id}" delivers to CloudWatch Logs without a delivery role, so Bedrock cannot write the logs.`,
          found: 'LoggingConfig.cloudWatchConfig.roleArn = (not set)',
          expected: 'the ARN of a role Bedrock may assume to write to the log group',
          attribute: 'LoggingConfig.cloudWatchConfig.roleArn',
        });
      }
      const large = block(cloudWatch.largeDataDeliveryS3Config);
      if (large) checkDestination(large.bucketName, BUCKET, 'LoggingConfig.cloudWatchConfig.largeDataDeliveryS3Config.bucketName');
    }
    if (s3) checkDestination(s3.bucketName, BUCKET, 'LoggingConfig.s3Config.bucketName');
    return violations;
  },
};

/** The log group or bucket a destination value names: a reference, or a literal name or ARN defined in the app. */
function findDestination(context: AnalysisContext, value: Value | undefined, type: string): Resource | undefined {
  return resolveResource(context, value, [type]);
}
