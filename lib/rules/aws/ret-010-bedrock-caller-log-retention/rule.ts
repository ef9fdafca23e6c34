import { CONTAINER_TYPES, FUNCTION_TYPES, FunctionLogs, LOG_RETENTION_TYPE, bedrockCallerReason, containerLogs, functionLogs } from '../../../analysis/bedrock-callers';
import type { AnalysisContext } from '../../../analysis/context';
import type { Resource } from '../../../core/graph';
import { CLOUDWATCH_RETENTION_DAYS, describeRetention, storeRetention } from '../../../analysis/retention';
import { describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule, Violation } from '../../rule';

/**
 * The logs of functions that call Bedrock expire within the policy's maximum
 * for prompt content: function code logs prompts, responses and errors that
 * quote them, and Lambda's implicit log group never expires.
 */
export const bedrockCallerLogRetention: ResourceRule = {
  id: 'LCG-RET-010',
  title: 'Logs of functions and containers that call Bedrock expire within the content maximum',
  category: 'retention',
  severity: 'error',
  rationale:
    'Functions that call Bedrock log what they handle: prompts, responses, and errors that quote them. Without a log group of its own the function writes to /aws/lambda/<name>, which Lambda creates on first write and never expires, so personal data in prompts is kept forever (GDPR Art. 5(1)(e) storage limitation).',
  remediation:
    'Give each function that calls Bedrock a log group with a retention within the policy maximum: logGroup (or logRetention) on the Function construct, a LoggingConfig log group, or an aws_cloudwatch_log_group named /aws/lambda/<function_name> with retention_in_days; give ECS tasks and Batch jobs that call Bedrock an awslogs group of the app with that retention (LogDrivers.awsLogs({ logGroup }) in CDK).',
  clauses: [CLAUSES.gdprStorageLimitation],
  resourceTypes: [...FUNCTION_TYPES, ...CONTAINER_TYPES],
  appliesUnder: (policy) => policy.maxContentLogRetentionDays !== undefined,
  check(resource, context) {
    const reason = bedrockCallerReason(context, resource);
    if (!reason) return undefined;
    if (CONTAINER_TYPES.includes(resource.type)) {
      return containerLogs(context, resource).flatMap(({ attribute, logs }) => {
        if (logs.kind === 'driver') {
          return [
            {
              message: `Cannot verify how long the logs of ${resource.type} "${resource.id}" (which calls Bedrock) are kept: its ${logs.driver} log driver sends them to a destination the configuration does not hold.`,
              found: `${attribute}.LogDriver = ${logs.driver}`,
              expected: `a log group kept at most ${context.policy.maxContentLogRetentionDays!} days`,
              fix: 'send the container output to an awslogs group of the app with a retention, or acknowledge this finding naming where the retention of that destination is set',
              attribute,
              cannotVerify: true,
            },
          ];
        }
        if (logs.kind === 'unknown') {
          return [
            {
              message: `Cannot verify how long the logs of ${resource.type} "${resource.id}" (which calls Bedrock) are kept: its log configuration is known only at deploy or plan time.`,
              found: logs.found,
              expected: `a log group kept at most ${context.policy.maxContentLogRetentionDays!} days`,
              fix: 'write the log configuration literally, naming a log group of the app',
              attribute,
              cannotVerify: true,
            },
          ];
        }
        return judgeLogs(context, resource, reason, logs, attribute, 'ECS creates it (awslogs-create-group) and it never expires');
      });
    }
    return judgeLogs(context, resource, reason, functionLogs(context, resource), 'log group', 'Lambda creates it on first write and it never expires');
  },
};

/** What is wrong with where a caller's logs are kept: a group that never expires, one outside the app, or one kept too long. */
function judgeLogs(context: AnalysisContext, resource: Resource, reason: string, logs: FunctionLogs, attribute: string, implicitly: string): Violation[] {
  const maximum = context.policy.maxContentLogRetentionDays!;
  const expected = `a log group kept at most ${maximum} days`;
  const valid = CLOUDWATCH_RETENTION_DAYS.filter((days) => days <= maximum).pop() ?? 1;
  const lambda = FUNCTION_TYPES.includes(resource.type);
  if (logs.kind === 'implicit') {
    return [
      {
        message: `${resource.type} "${resource.id}" calls Bedrock (${reason}) and logs to ${lambda ? 'the implicit group ' : 'the group '}${logs.name}, which ${implicitly}.`,
        found: `log group ${logs.name} = never expires (no log group in the app)`,
        expected,
        fix: lambda
          ? `create the function's log group with retention ${valid} days (logGroup: new LogGroup(…, { retention }) on the Function, or aws_cloudwatch_log_group "/aws/lambda/<function_name>" with retention_in_days = ${valid})`
          : `define the log group in the app with retention ${valid} days and name it in awslogs-group (LogDrivers.awsLogs({ logGroup }) in CDK)`,
        attribute,
      },
    ];
  }
  if (logs.kind === 'external') {
    return [
      {
        message: `Cannot verify how long the logs of ${resource.type} "${resource.id}" (which calls Bedrock) are kept: it logs to ${logs.name}, a log group the app does not define.`,
        found: `${lambda ? 'LoggingConfig log group' : `${attribute} awslogs-group`} ${logs.name} (not in the app)`,
        expected,
        fix: `define the log group in the app with retention ${valid} days, or acknowledge this finding naming where its retention is set`,
        attribute,
        cannotVerify: true,
      },
    ];
  }
  const violations: Violation[] = [];
  for (const group of logs.resources) {
    const where = `${group.type} "${group.id}"`;
    let days: number | 'never' | 'unknown';
    let found: string;
    if (group.type === LOG_RETENTION_TYPE) {
      const value = group.properties.RetentionInDays;
      // CDK writes no RetentionInDays for RetentionDays.INFINITE.
      const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
      days = value === undefined ? 'never' : (number ?? 'unknown');
      found = `${where}: RetentionInDays = ${value === undefined ? 'not set (never expires)' : describeValue(value)}`;
    } else {
      const reading = storeRetention(context, group);
      const latest = reading?.latest;
      days = !latest ? 'unknown' : 'days' in latest ? latest.days : 'never' in latest ? 'never' : 'unknown';
      found = `${where}: ${reading?.attribute ?? 'retention'} = ${latest ? describeRetention(latest) : 'unreadable'}`;
    }
    if (days === 'unknown') {
      violations.push({ message: `Cannot verify how long the logs of ${resource.type} "${resource.id}" (which calls Bedrock) are kept: the retention is known only at deploy time.`, found, expected, fix: 'write the retention as a literal number of days', attribute, cannotVerify: true });
    } else if (days === 'never' || days > maximum) {
      violations.push({ message: `${resource.type} "${resource.id}" calls Bedrock (${reason}) and its logs are kept longer than the policy maximum for prompt content.`, found, expected, fix: `set the retention to ${valid} days`, attribute });
    }
  }
  return violations;
}
