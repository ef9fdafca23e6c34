/** The facts layer on its own: what a value names, what a log delivery makes of a store, how blocks built at plan time read. */
import { bedrockCallerReason, bedrockCallers } from '../../lib/analysis/bedrock-callers';
import { createAnalysisContext, sparseFact } from '../../lib/analysis/context';
import { promptStores } from '../../lib/analysis/prompt-stores';
import type { Resource } from '../../lib/core/graph';
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

describe('sparseFact', () => {
  const buckets = (): ReturnType<typeof terraform> =>
    terraform({ aws_s3_bucket: { a: { bucket: 'a' }, b: { bucket: 'b' }, c: { bucket: 'c' } } });

  test('GIVEN asks for every resource, twice THEN each resource is computed once, and only the values that differ from none are kept', () => {
    const context = buckets();
    const computed: string[] = [];
    const fact = (resource: Resource): string | undefined => {
      computed.push(resource.id);
      return resource.id.endsWith('.b') ? 'named b' : undefined;
    };
    const ask = (resource: Resource): string | undefined => sparseFact(context, 'test.named-b', resource, fact, undefined, (value) => value === undefined);
    const answers = [...context.graph.resources, ...context.graph.resources].map(ask);
    expect(answers).toEqual([undefined, 'named b', undefined, undefined, 'named b', undefined]);
    expect(computed).toEqual(['aws_s3_bucket.a', 'aws_s3_bucket.b', 'aws_s3_bucket.c']);
  });

  test('GIVEN a resource of a stack the graph does not hold THEN its value is computed, never taken for none', () => {
    const context = buckets();
    const outsider = terraform({ aws_s3_bucket: { b: { bucket: 'b' } } }).graph.resources[0];
    const fact = (resource: Resource): string | undefined => (resource.id.endsWith('.b') ? 'named b' : undefined);
    sparseFact(context, 'test.outsider', context.graph.resources[0], fact, undefined, (value) => value === undefined);
    expect(sparseFact(context, 'test.outsider', outsider, fact, undefined, (value) => value === undefined)).toBe('named b');
  });

  test('GIVEN a fact of one resource that reads the same fact of another THEN the inner ask is answered, not taken for none', () => {
    const context = buckets();
    const [a, b] = context.graph.resources;
    // a's fact is b's fact, seen through the pass that is still running.
    const fact = (resource: Resource): string | undefined => (resource === a ? ask(b) : resource === b ? 'b itself' : undefined);
    const ask = (resource: Resource): string | undefined => sparseFact(context, 'test.reentrant', resource, fact, undefined, (value) => value === undefined);
    expect(ask(a)).toBe('b itself');
    expect(ask(b)).toBe('b itself');
  });
});

describe('bedrockCallerReason', () => {
  const context = terraform({
    aws_iam_role: { reader: { name: 'READER', assume_role_policy: '{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}' } },
    aws_iam_role_policy: {
      invoke: {
        role: '${aws_iam_role.reader.id}',
        policy: '{"Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"}]}',
      },
    },
    aws_lambda_function: { chat: { function_name: 'chat', role: '${aws_iam_role.reader.arn}', environment: { variables: { TABLE: 'chat-history' } } } },
    google_storage_bucket_access_control: { acl: { bucket: 'chat-history', role: 'READER' } },
    aws_dynamodb_table: { history: { name: 'chat-history', hash_key: 'id' } },
  });
  const [acl] = context.graph.ofType('google_storage_bucket_access_control');
  const [chat] = context.graph.ofType('aws_lambda_function');

  test('GIVEN a function whose role may invoke Bedrock THEN it is a caller, and the table it names holds conversations', () => {
    expect(bedrockCallerReason(context, chat)).toBe('its role aws_iam_role.reader may invoke Bedrock');
    expect(bedrockCallers(context)).toContain(chat);
    expect(promptStores(context).map((store) => [store.resource.id, store.kind])).toEqual([['aws_dynamodb_table.history', 'conversations']]);
  });

  test('GIVEN a Google resource whose role value is the name of that AWS role THEN it is no Bedrock caller: a Google role names no AWS identity', () => {
    expect(bedrockCallerReason(context, acl)).toBeUndefined();
    expect(bedrockCallers(context)).not.toContain(acl);
  });
});

describe('bedrockCallerReason of IAM policies', () => {
  // GIVEN a role that may invoke Bedrock, with a second inline policy and an attachment that name a table
  const context = terraform({
    aws_iam_role: { worker: { name: 'worker', assume_role_policy: '{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}' } },
    aws_iam_role_policy: {
      invoke: { role: '${aws_iam_role.worker.id}', policy: '{"Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"*"}]}' },
      table: { role: '${aws_iam_role.worker.id}', policy: '{"Statement":[{"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"${aws_dynamodb_table.chat.arn}"}]}' },
    },
    aws_iam_policy: { extra: { policy: '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}' } },
    aws_iam_role_policy_attachment: { extra: { role: '${aws_iam_role.worker.name}', policy_arn: '${aws_iam_policy.extra.arn}' } },
    aws_dynamodb_table: { chat: { name: 'chat-sessions', hash_key: 'id' } },
  });

  test('THEN no policy or attachment is a caller: the role they name is the one they are attached to, not one they run as', () => {
    for (const type of ['aws_iam_role_policy', 'aws_iam_role_policy_attachment']) {
      for (const resource of context.graph.ofType(type)) expect({ id: resource.id, reason: bedrockCallerReason(context, resource) }).toEqual({ id: resource.id, reason: undefined });
    }
    expect(bedrockCallers(context)).toEqual([]);
  });

  test('THEN the table the role may write is still a conversation store, written by the role and not by its policy', () => {
    expect(promptStores(context).map((store) => [store.resource.id, store.kind, store.writer?.id])).toEqual([['aws_dynamodb_table.chat', 'conversations', 'aws_iam_role.worker']]);
  });

  test('GIVEN the same in CloudFormation (a role assumed by code the template does not define) THEN the table is a conversation store too', () => {
    const graph = exampleGraph({
      description: 'a role that may invoke Bedrock writes a table',
      stacks: [
        {
          format: 'cloudformation',
          document: {
            Resources: {
              Worker: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] } } },
              Invoke: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'Worker' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }] } } },
              Write: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'Worker' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': ['Sessions', 'Arn'] } }] } } },
              Sessions: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'chat-sessions' } },
            },
          },
        },
      ],
    });
    const cfn = createAnalysisContext(graph, EU);
    expect(bedrockCallers(cfn)).toEqual([]);
    expect(promptStores(cfn).map((store) => [store.resource.id, store.kind, store.writer?.id, store.why])).toEqual([['Sessions', 'conversations', 'Worker', 'a table AWS::IAM::Role "Worker" (which may call Bedrock) uses']]);
  });
});
