import type { AnalysisContext } from '../../../analysis/context';
import { withArticle } from '../../../core/printable';
import { describeEnvironment, sameAccountAndRegion } from '../../../analysis/environments';
import { resolveResource } from '../../../analysis/resolve';
import { CFN, TF_AWS } from '../../../analysis/resource-types';
import type { Resource } from '../../../core/graph';
import { Unresolved, Value, block, describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule, Violation } from '../../rule';

const LOG_GROUP = CFN.logGroup;
const BUCKET = CFN.bucket;

/** The property names of the logging configuration, as CloudFormation (our custom resource) and Terraform write them. */
const NAMES = {
  cloudformation: { config: 'LoggingConfig', cloudWatch: 'cloudWatchConfig', s3: 's3Config', group: 'logGroupName', bucket: 'bucketName', role: 'roleArn', large: 'largeDataDeliveryS3Config' },
  terraform: { config: 'logging_config', cloudWatch: 'cloudwatch_config', s3: 's3_config', group: 'log_group_name', bucket: 'bucket_name', role: 'role_arn', large: 'large_data_delivery_s3_config' },
} as const;

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
  resourceTypes: [CFN.invocationLogging, TF_AWS.invocationLogging],
  check(resource, context) {
    const names = resource.type === TF_AWS.invocationLogging ? NAMES.terraform : NAMES.cloudformation;
    const config = block(resource.properties[names.config]);
    if (!config) {
      return [
        {
          message: `Cannot verify where invocation logging "${resource.id}" delivers logs: ${names.config} is missing or known only at deploy time.`,
          found: `${names.config} = ${describeValue(resource.properties[names.config])}`,
          expected: `a ${names.config} with ${names.cloudWatch} and/or ${names.s3}`,
          attribute: names.config,
          cannotVerify: true,
        },
      ];
    }
    const cloudWatch = block(config[names.cloudWatch]);
    const s3 = block(config[names.s3]);
    if (!cloudWatch && !s3) {
      return [
        {
          message: `Invocation logging "${resource.id}" names no destination, so no invocation is recorded.`,
          found: `${names.config} has neither ${names.cloudWatch} nor ${names.s3}`,
          expected: `${names.cloudWatch}.${names.group} and/or ${names.s3}.${names.bucket}`,
          attribute: names.config,
        },
      ];
    }
    const violations: Violation[] = [];
    const checkDestination = (value: Value | undefined, type: string, attribute: string): void => {
      const destination = findDestination(context, value, type === LOG_GROUP ? [LOG_GROUP, TF_AWS.logGroup] : [BUCKET, TF_AWS.bucket]);
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
    const at = (...path: string[]): string => [names.config, ...path].join('.');
    if (cloudWatch) {
      checkDestination(cloudWatch[names.group], LOG_GROUP, at(names.cloudWatch, names.group));
      const role = cloudWatch[names.role];
      if (role instanceof Unresolved && /AWS::NoValue|Fn::If/.test(role.expression)) {
        violations.push({
          message: `Cannot verify that invocation logging "${resource.id}" has a delivery role for CloudWatch Logs: the role is chosen at deploy time and may be absent.`,
          found: `${at(names.cloudWatch, names.role)} = ${role.expression}`,
          expected: 'the ARN of a role Bedrock may assume to write to the log group',
          fix: 'name the delivery role without a condition',
          attribute: at(names.cloudWatch, names.role),
          cannotVerify: true,
        });
      } else if (role === undefined) {
        violations.push({
          message: `Invocation logging "${resource.id}" delivers to CloudWatch Logs without a delivery role, so Bedrock cannot write the logs.`,
          found: `${at(names.cloudWatch, names.role)} = (not set)`,
          expected: 'the ARN of a role Bedrock may assume to write to the log group',
          attribute: at(names.cloudWatch, names.role),
        });
      }
      const large = block(cloudWatch[names.large]);
      if (large) checkDestination(large[names.bucket], BUCKET, at(names.cloudWatch, names.large, names.bucket));
    }
    if (s3) checkDestination(s3[names.bucket], BUCKET, at(names.s3, names.bucket));
    return violations;
  },
};

/** The log group or bucket a destination value names: a reference, or a literal name or ARN defined in the app. */
function findDestination(context: AnalysisContext, value: Value | undefined, types: readonly string[]): Resource | undefined {
  return resolveResource(context, value, types);
}
