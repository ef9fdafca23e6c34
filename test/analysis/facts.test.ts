/** The facts layer on its own: what a value names, what a log delivery makes of a store, how blocks built at plan time read. */
import { createAnalysisContext } from '../../lib/analysis/context';
import { logWiring } from '../../lib/analysis/log-wiring';
import { resolveResource } from '../../lib/analysis/resolve';
import { AWS_TYPES } from '../../lib/analysis/resource-types';
import { Unresolved, valueAt } from '../../lib/core/values';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { exampleGraph } from '../../lib/rules/examples';

const EU = GuardrailPolicy.preset('eu');

function terraform(resource: object, extra: object = {}) {
  const graph = exampleGraph({ description: 'facts', stacks: [{ format: 'terraform', document: { provider: { aws: [{ region: 'eu-west-1' }] }, ...extra, resource } }] });
  return createAnalysisContext(graph, EU);
}

describe('resolveResource', () => {
  const context = terraform(
    {
      aws_cloudwatch_log_group: { trail: { name: 'trail', retention_in_days: 400 } },
      aws_s3_bucket: { archive: { bucket: 'acme-archive' } },
    },
    { variable: { use_trail: { type: 'bool' } } },
  );
  const trail = context.graph.get('tf/aws_cloudwatch_log_group.trail');

  test('GIVEN text around one attribute THEN it names that resource', () => {
    expect(resolveResource(context, new Unresolved('${aws_cloudwatch_log_group.trail.arn}:*', 'x', ['tf/aws_cloudwatch_log_group.trail']), AWS_TYPES.logGroups)).toBe(trail);
  });

  test('GIVEN a conditional or a variable next to the resource THEN it names nothing: the other branch may be anything', () => {
    expect(resolveResource(context, new Unresolved('${var.use_trail ? aws_cloudwatch_log_group.trail.arn : "other"}', 'x', ['tf/aws_cloudwatch_log_group.trail']), AWS_TYPES.logGroups)).toBeUndefined();
    expect(resolveResource(context, new Unresolved('{"Fn::If":["UseTrail",{"Fn::GetAtt":["Trail","Arn"]},"other"]}', 'x', ['tf/aws_cloudwatch_log_group.trail']), AWS_TYPES.logGroups)).toBeUndefined();
  });

  test('GIVEN a literal ARN or name THEN it names the resource with that own name, of the types asked for only', () => {
    expect(resolveResource(context, 'arn:aws:s3:::acme-archive', AWS_TYPES.buckets)?.id).toBe('aws_s3_bucket.archive');
    expect(resolveResource(context, 'acme-archive', AWS_TYPES.logGroups)).toBeUndefined();
  });
});

describe('log wiring', () => {
  test('GIVEN invocation logs forwarded by a subscription filter and a delivery stream THEN the bucket at the end holds the same roles, and the stream is a forwarder', () => {
    const context = terraform({
      aws_cloudwatch_log_group: { invocations: { name: 'invocations', retention_in_days: 365 } },
      aws_bedrock_model_invocation_logging_configuration: { this: { logging_config: { text_data_delivery_enabled: true, cloudwatch_config: { log_group_name: '${aws_cloudwatch_log_group.invocations.name}', role_arn: 'arn:aws:iam::111111111111:role/x' } } } },
      aws_kinesis_firehose_delivery_stream: { siem: { name: 'siem', destination: 'extended_s3', extended_s3_configuration: { bucket_arn: '${aws_s3_bucket.siem.arn}', role_arn: 'arn:aws:iam::111111111111:role/y' } } },
      aws_cloudwatch_log_subscription_filter: { siem: { name: 'siem', log_group_name: '${aws_cloudwatch_log_group.invocations.name}', destination_arn: '${aws_kinesis_firehose_delivery_stream.siem.arn}', filter_pattern: '' } },
      aws_s3_bucket: { siem: { bucket: 'acme-siem' } },
    });
    const wiring = logWiring(context);
    expect([...(wiring.roles.get('tf/aws_s3_bucket.siem') ?? [])].sort()).toEqual(['audit', 'content']);
    expect(wiring.roles.has('tf/aws_kinesis_firehose_delivery_stream.siem')).toBe(false);
    expect([...(wiring.forwarders.get('tf/aws_kinesis_firehose_delivery_stream.siem') ?? [])].sort()).toEqual(['audit', 'content']);
    expect(wiring.deliveries.map((delivery) => delivery.data)).toEqual(['invocation-content', 'subscription', 'stream']);
  });
});

describe('blocks known only at plan time', () => {
  test('GIVEN a dynamic block THEN its blocks read as one unresolved value, never as absent', () => {
    const context = terraform({
      aws_s3_bucket: {
        logs: { bucket: 'acme-logs', dynamic: { lifecycle_rule: { for_each: '${var.rules}', content: { enabled: true, expiration: { days: '${lifecycle_rule.value}' } } } } },
      },
    });
    const bucket = context.graph.get('tf/aws_s3_bucket.logs')!;
    expect(bucket.properties.dynamic).toBeUndefined();
    expect(bucket.properties.lifecycle_rule).toBeInstanceOf(Unresolved);
    expect((bucket.properties.lifecycle_rule as Unresolved).reason).toMatch(/dynamic block/);
  });

  test('GIVEN a block that is a variable THEN a value inside it is that unresolved block, not undefined', () => {
    const block = new Unresolved('${var.psc}', 'a variable');
    expect(valueAt({ private_service_connect_config: block }, 'private_service_connect_config.enable_private_service_connect')).toBe(block);
    expect(valueAt({ private_service_connect_config: [{ enable_private_service_connect: true }] }, 'private_service_connect_config.enable_private_service_connect')).toBe(true);
    expect(valueAt({}, 'private_service_connect_config.enable_private_service_connect')).toBeUndefined();
  });
});
