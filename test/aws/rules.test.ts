import { GuardrailPolicy } from '../../lib/policy/policy';
import { ALL_RULES } from '../../lib/rules';
import { euWithKeys, findings, gateErrors, passes } from '../support/rules';
import { EU_MODEL, graphOf, invocationLogging, invokePolicy, runtimeEndpoint, trail } from './fixtures';

const US_ONLY = GuardrailPolicy.fromSpec({ jurisdiction: 'US', frameworks: ['soc2'] }, 'test US policy');
const PRIVATE_EU = GuardrailPolicy.fromSpec({ extends: 'eu', requirePrivateNetwork: true }, 'test private EU policy');

/** A workload stack that can invoke the EU model, with invocation logging, a trail and a private endpoint. */
function completeWorkload(extra: { [logicalId: string]: object } = {}) {
  return {
    name: 'Workload',
    template: { Resources: { Invoke: invokePolicy(EU_MODEL, { Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }), ...invocationLogging(), Trail: trail(), Endpoint: runtimeEndpoint(), ...extra } },
  };
}

test('the AWS rules use ids in their reserved ranges, each once', () => {
  const ids = ALL_RULES.map((rule) => rule.id).filter((id) => /^LCG-[A-Z]+-0[12]\d$/.test(id));
  expect(ids.sort()).toEqual(['LCG-ENC-010', 'LCG-ENC-011', 'LCG-LOG-010', 'LCG-LOG-011', 'LCG-LOG-012', 'LCG-LOG-013', 'LCG-LOG-014', 'LCG-LOG-015', 'LCG-LOG-016', 'LCG-NET-010', 'LCG-NET-011', 'LCG-NET-012', 'LCG-RES-010', 'LCG-RES-011', 'LCG-RES-012', 'LCG-RES-013', 'LCG-RES-014', 'LCG-RES-015', 'LCG-RES-016', 'LCG-RES-017', 'LCG-RET-010', 'LCG-RET-011', 'LCG-RET-012', 'LCG-RET-013']);
  expect(new Set(ALL_RULES.map((rule) => rule.id)).size).toBe(ALL_RULES.length);
});

describe('LCG-RES-010 Bedrock invoke permissions name only in-jurisdiction models and inference profiles', () => {
  const judge = (resource: unknown, policy: GuardrailPolicy | string = 'eu', region: string | null = 'eu-central-1') => findings('LCG-RES-010', graphOf({ name: 'App', region, template: { Resources: { Invoke: invokePolicy(resource) } } }), policy);

  test('Noncompliance 1: a foundation model in London (eu-west-2 is not in the EU)', () => {
    const [finding] = judge('arn:aws:bedrock:eu-west-2::foundation-model/amazon.nova-micro-v1:0');
    expect(finding.message).toContain('eu-west-2 (Europe (London), GB)');
    expect(finding.found).toBe('PolicyDocument.Statement[0].Resource = "arn:aws:bedrock:eu-west-2::foundation-model/amazon.nova-micro-v1:0"');
  });

  test('Noncompliance 2: a global. inference profile and the region-less model ARN it needs', () => {
    const result = judge(['arn:aws:bedrock:eu-central-1:111111111111:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0']);
    expect(result.map((finding) => finding.message)).toEqual([expect.stringContaining('region-less foundation-model ARN'), expect.stringContaining('global inference profile')]);
  });

  test('Noncompliance 3: an eu. profile, whose destinations include London and Zurich', () => {
    const [finding] = judge('arn:aws:bedrock:eu-central-1:111111111111:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(finding.message).toMatch(/destination regions may include .*eu-central-2 .*eu-west-2/s);
  });

  test('Noncompliance 4: "*", a region wildcard and bedrock:* on every resource', () => {
    expect(judge('*')[0].message).toContain('every model and inference profile in every region');
    expect(judge('arn:aws:bedrock:*::foundation-model/amazon.nova-micro-v1:0')[0].message).toContain('region "*"');
    const wildcardAction = graphOf({ name: 'App', template: { Resources: { Invoke: invokePolicy('*', { Action: 'bedrock:*' }) } } });
    expect(findings('LCG-RES-010', wildcardAction)).toHaveLength(1);
  });

  test('Noncompliance 5: an inline role policy and a VPC endpoint policy are judged too', () => {
    const graph = graphOf({
      name: 'App',
      template: {
        Resources: {
          Role: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:Converse*', Resource: 'arn:aws:bedrock:us-east-1::foundation-model/x' }] } }] } },
          Endpoint: runtimeEndpoint({ PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'bedrock:InvokeModel', Resource: '*' }] } }),
        },
      },
    });
    expect(findings('LCG-RES-010', graph).map((finding) => `${finding.resource.id} ${finding.attribute}`)).toEqual(['Endpoint PolicyDocument.Statement[0].Resource', 'Role Policies[0].PolicyDocument.Statement[0].Resource']);
  });

  test('Compliance: a model in Frankfurt, a us. profile under a US policy, an application profile of the app, and non-Bedrock statements', () => {
    expect(judge(EU_MODEL)).toEqual([]);
    expect(passes('LCG-RES-010', graphOf({ name: 'App', template: { Resources: { Invoke: invokePolicy(EU_MODEL) } } }))).toEqual(['Invoke']);
    expect(judge('arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.amazon.nova-micro-v1:0', GuardrailPolicy.preset('us-hipaa'))).toEqual([]);
    const graph = graphOf({
      name: 'App',
      template: {
        Resources: {
          Profile: { Type: 'AWS::Bedrock::ApplicationInferenceProfile', Properties: { InferenceProfileName: 'p', ModelSource: { CopyFrom: EU_MODEL } } },
          Invoke: invokePolicy({ 'Fn::GetAtt': ['Profile', 'InferenceProfileArn'] }),
          S3: invokePolicy('arn:aws:s3:::bucket/*', { Action: 's3:GetObject' }),
        },
      },
    });
    expect(findings('LCG-RES-010', graph)).toEqual([]);
  });

  test('Not applicable: a policy without residency constraint', () => {
    expect(judge('*', 'soc2')).toEqual([]);
    expect(passes('LCG-RES-010', graphOf({ name: 'App', template: { Resources: { Invoke: invokePolicy('*') } } }), 'soc2')).toEqual([]);
  });

  test('Unresolvable: an environment-agnostic stack, a parameter and an application profile from elsewhere fail closed', () => {
    const agnostic = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, '::foundation-model/amazon.nova-micro-v1:0']] };
    expect(judge(agnostic, 'eu', null)[0].message).toMatch(/^Cannot verify where prompts .* region is known only at deploy time/);
    const parameter = graphOf({ name: 'App', template: { Parameters: { Model: { Type: 'String' } }, Resources: { Invoke: invokePolicy({ Ref: 'Model' }) } } });
    expect(findings('LCG-RES-010', parameter)[0].message).toContain('known only at deploy time');
    expect(judge('arn:aws:bedrock:eu-central-1:111111111111:application-inference-profile/abc123')[0].message).toContain('not defined in this app');
    expect(judge('arn:aws:bedrock:eu-central-1:111111111111:inference-profile/xx.model-v1')[0].message).toContain('geography prefix the catalog does not know');
  });
});

describe('LCG-RES-011 Bedrock application inference profiles copy from in-jurisdiction sources', () => {
  const judge = (copyFrom: unknown, policy = 'eu') =>
    findings('LCG-RES-011', graphOf({ name: 'App', template: { Parameters: { Source: { Type: 'String' } }, Resources: { Profile: { Type: 'AWS::Bedrock::ApplicationInferenceProfile', Properties: { InferenceProfileName: 'p', ModelSource: { CopyFrom: copyFrom } } } } } }), policy);

  test('Noncompliance: copying from a global. profile or a model in us-east-1', () => {
    expect(judge('arn:aws:bedrock:eu-central-1:111111111111:inference-profile/global.amazon.nova-micro-v1:0')[0].message).toContain('global inference profile');
    expect(judge('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0')[0].message).toContain('us-east-1');
  });

  test('Compliance: copying from a model in Frankfurt', () => {
    expect(judge(EU_MODEL)).toEqual([]);
    expect(passes('LCG-RES-011', graphOf({ name: 'App', template: { Resources: { Profile: { Type: 'AWS::Bedrock::ApplicationInferenceProfile', Properties: { ModelSource: { CopyFrom: EU_MODEL } } } } } }))).toEqual(['Profile']);
  });

  test('Unresolvable: a source chosen at deploy time fails closed', () => {
    expect(judge({ Ref: 'Source' })[0].message).toMatch(/^Cannot verify where application inference profile "Profile" processes prompts/);
  });
});

describe('LCG-RES-012 Bedrock runtime VPC endpoints reach an in-jurisdiction region', () => {
  const judge = (properties: object, region: string | null = 'eu-central-1') => findings('LCG-RES-012', graphOf({ name: 'App', region, template: { Resources: { Endpoint: runtimeEndpoint(properties) } } }));

  test('Noncompliance: the endpoint service of Zurich, and a cross-region ServiceRegion in the US', () => {
    expect(judge({ ServiceName: 'com.amazonaws.eu-central-2.bedrock-runtime' })[0].message).toContain('eu-central-2 (Europe (Zurich), CH)');
    expect(judge({ ServiceRegion: 'us-east-1' })[0].found).toBe('ServiceRegion = "us-east-1"');
  });

  test('Compliance: the endpoint service of Frankfurt; other endpoints are not judged', () => {
    expect(judge({})).toEqual([]);
    expect(passes('LCG-RES-012', graphOf({ name: 'App', template: { Resources: { Endpoint: runtimeEndpoint() } } }))).toEqual(['Endpoint']);
    expect(judge({ ServiceName: 'com.amazonaws.eu-central-2.s3' })).toEqual([]);
  });

  test('Unresolvable: a service name built from the region of an environment-agnostic stack fails closed', () => {
    const [finding] = judge({ ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.bedrock-runtime']] } }, null);
    expect(finding.message).toMatch(/^Cannot verify which region bedrock-runtime endpoint/);
  });
});

describe('LCG-LOG-010 Stacks that can invoke Bedrock have model-invocation logging in their account and region', () => {
  test('Noncompliance 1: no invocation logging at all', () => {
    const [finding] = findings('LCG-LOG-010', graphOf({ name: 'App', template: { Resources: { Invoke: invokePolicy(EU_MODEL) } } }));
    expect(finding.found).toBe('no invocation logging configuration in the app, and none declared in the policy');
  });

  test('Noncompliance 2: logging in another region, and logging with text delivery off', () => {
    const elsewhere = graphOf({ name: 'App', template: { Resources: { Invoke: invokePolicy(EU_MODEL) } } }, { name: 'Logging', region: 'eu-west-1', template: { Resources: invocationLogging() } });
    expect(findings('LCG-LOG-010', elsewhere)[0].found).toBe('invocation logging only for 111111111111/eu-west-1');
    const textOff = graphOf({ name: 'App', template: { Resources: { Invoke: invokePolicy(EU_MODEL), ...invocationLogging({ textDataDeliveryEnabled: false }) } } });
    expect(findings('LCG-LOG-010', textOff)[0].expected).toBe('text data delivery on (textDataDeliveryEnabled / text_data_delivery_enabled: true)');
  });

  test('Compliance: logging in the same stack, or in another stack of the same account and region', () => {
    expect(passes('LCG-LOG-010', graphOf(completeWorkload()))).toEqual(['Workload']);
    const shared = graphOf({ name: 'App', template: { Resources: { Invoke: invokePolicy(EU_MODEL) } } }, { name: 'Platform', template: { Resources: invocationLogging() } });
    expect(findings('LCG-LOG-010', shared)).toEqual([]);
    expect(passes('LCG-LOG-010', shared)).toEqual(['App']);
  });

  test('Unresolvable: logging in a stack whose account is known only at deploy time', () => {
    const graph = graphOf({ name: 'App', template: { Resources: { Invoke: invokePolicy(EU_MODEL) } } }, { name: 'Platform', account: null, template: { Resources: invocationLogging() } });
    expect(findings('LCG-LOG-010', graph)[0].message).toMatch(/^Cannot verify that AWS::IAM::Policy "Invoke" .* is covered by model-invocation logging/);
  });
});

describe('LCG-LOG-011 Stacks that can invoke Bedrock are covered by a CloudTrail trail with management events', () => {
  const withTrail = (properties: object | undefined, region = 'eu-central-1', account: string | null = '111111111111') =>
    graphOf({ name: 'App', template: { Resources: { Invoke: invokePolicy(EU_MODEL) } } }, ...(properties ? [{ name: 'Audit', region, account, template: { Resources: { Trail: trail(properties) } } }] : []));

  test('Noncompliance: no trail, a single-region trail elsewhere, a stopped trail, and selectors without management events', () => {
    expect(findings('LCG-LOG-011', withTrail(undefined))[0].found).toBe('no trail in the app');
    expect(findings('LCG-LOG-011', withTrail({ IsMultiRegionTrail: false }, 'eu-west-1'))).toHaveLength(1);
    expect(findings('LCG-LOG-011', withTrail({ IsLogging: false }))[0].found).toContain('IsLogging is false');
    const dataOnly = { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Bedrock::AgentAlias'] }] }] };
    expect(findings('LCG-LOG-011', withTrail(dataOnly))[0].found).toContain('record no management events');
    expect(findings('LCG-LOG-011', withTrail({ EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'WriteOnly' }] }))).toHaveLength(1);
  });

  test('Noncompliance: a trail created only in another region (a false Condition) is no trail; one created only for a parameter value cannot be counted', () => {
    const conditioned = (conditions: object, condition: string) =>
      graphOf({ name: 'App', template: { Parameters: { Env: { Type: 'String', Default: 'prod' } }, Conditions: conditions, Resources: { Invoke: invokePolicy(EU_MODEL), ...invocationLogging(), Trail: { ...trail(), Condition: condition } } } });
    const homeOnly = conditioned({ IsHome: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } }, 'IsHome');
    expect(findings('LCG-LOG-011', homeOnly)[0].found).toBe('no trail in the app');
    const prodOnly = conditioned({ IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } }, 'IsProd');
    expect(gateErrors(prodOnly)).toContain('LCG-COV-002 Trail');
    const here = conditioned({ IsHere: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-central-1'] } }, 'IsHere');
    expect(passes('LCG-LOG-011', here)).toEqual(['App']);
    expect(gateErrors(here).filter((line) => line.startsWith('LCG-COV-002'))).toEqual([]);
  });

  test('Compliance: a multi-region trail in another region of the account, with management events', () => {
    const selectors = { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] };
    expect(findings('LCG-LOG-011', withTrail(selectors, 'eu-west-1'))).toEqual([]);
    expect(passes('LCG-LOG-011', withTrail({}))).toEqual(['App']);
  });

  test('Unresolvable: a trail in a stack whose account is known only at deploy time', () => {
    expect(findings('LCG-LOG-011', withTrail({}, 'eu-central-1', null))[0].message).toMatch(/^Cannot verify that AWS::IAM::Policy "Invoke" .* is covered by a CloudTrail trail/);
  });
});

describe('LCG-LOG-012 Bedrock invocation logging delivers to destinations defined in the app, in its account and region', () => {
  const judge = (resources: { [id: string]: object }, ...others: Parameters<typeof graphOf>) => findings('LCG-LOG-012', graphOf({ name: 'App', template: { Parameters: { Group: { Type: 'String' } }, Resources: resources } }, ...others));

  test('Noncompliance: no destination, a CloudWatch destination without a role, a bucket in another region', () => {
    expect(judge({ Logging: { Type: 'Custom::BedrockInvocationLogging', Properties: { LoggingConfig: { textDataDeliveryEnabled: true } } } })[0].message).toContain('names no destination');
    const noRole = invocationLogging({ cloudWatchConfig: { logGroupName: { Ref: 'InvocationLogs' } } });
    expect(judge(noRole)[0].attribute).toBe('LoggingConfig.cloudWatchConfig.roleArn');
    const remote = judge(invocationLogging({ s3Config: { bucketName: 'remote-bucket' } }), { name: 'Remote', region: 'eu-west-1', template: { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'remote-bucket' } } } } });
    expect(remote[0].message).toContain('is in 111111111111/eu-west-1');
  });

  test('Compliance: a log group and a bucket of the same stack', () => {
    expect(judge(invocationLogging())).toEqual([]);
    expect(passes('LCG-LOG-012', graphOf({ name: 'App', template: { Resources: invocationLogging() } }))).toEqual(['InvocationLogging']);
  });

  test('Unresolvable: a log group named by a deploy-time parameter, or not defined in the app', () => {
    expect(judge(invocationLogging({ cloudWatchConfig: { logGroupName: { Ref: 'Group' }, roleArn: 'arn:aws:iam::111111111111:role/r' } }))[0].message).toMatch(/^Cannot verify retention and encryption of invocation-log log group/);
    expect(judge(invocationLogging({ s3Config: { bucketName: 'someone-elses-bucket' } }))[0].message).toContain('not defined in this app');
  });
});

describe('LCG-LOG-013 One Bedrock invocation logging configuration per account and region', () => {
  test('Noncompliance: two stacks configure the same account and region', () => {
    const graph = graphOf({ name: 'A', template: { Resources: invocationLogging() } }, { name: 'B', template: { Resources: invocationLogging() } });
    expect(findings('LCG-LOG-013', graph).map((finding) => finding.resource.stack)).toEqual(['A', 'B']);
  });

  test('Compliance: one configuration per region', () => {
    const graph = graphOf({ name: 'A', template: { Resources: invocationLogging() } }, { name: 'B', region: 'eu-west-1', template: { Resources: invocationLogging() } });
    expect(findings('LCG-LOG-013', graph)).toEqual([]);
    expect(passes('LCG-LOG-013', graph)).toEqual(['InvocationLogging', 'InvocationLogging']);
  });

  test('Unresolvable: another configuration in an environment-agnostic stack', () => {
    const graph = graphOf({ name: 'A', template: { Resources: invocationLogging() } }, { name: 'B', region: null, account: null, template: { Resources: invocationLogging() } });
    expect(findings('LCG-LOG-013', graph)[0].message).toMatch(/^Cannot verify that invocation logging "InvocationLogging" is the only one/);
  });
});

describe('LCG-ENC-010 AWS audit and invocation log stores use customer-managed KMS keys', () => {
  test('Noncompliance: an invocation log group without a key, a bucket with aws/s3, a trail without a key', () => {
    const resources = invocationLogging();
    (resources.InvocationLogs as { Properties: { KmsKeyId?: unknown } }).Properties.KmsKeyId = undefined;
    const bucket = resources.InvocationBucket as { Properties: { BucketEncryption: unknown } };
    bucket.Properties.BucketEncryption = { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/aws/s3' } }] };
    const graph = graphOf({ name: 'App', template: { Resources: { ...resources, Trail: trail({ KMSKeyId: undefined }) } } });
    expect(findings('LCG-ENC-010', graph).map((finding) => finding.resource.id)).toEqual(['InvocationBucket', 'InvocationLogs', 'Trail']);
  });

  test('Compliance: stores with a key of the app; unrelated log groups are not judged; the judgement does not depend on whether the policy requires keys', () => {
    const graph = graphOf({ name: 'App', template: { Resources: { ...invocationLogging(), Trail: trail(), Other: { Type: 'AWS::Logs::LogGroup', Properties: {} } } } });
    expect(findings('LCG-ENC-010', graph)).toEqual([]);
    expect(passes('LCG-ENC-010', graph).sort()).toEqual(['InvocationBucket', 'InvocationLogs', 'Trail']);
    expect(passes('LCG-ENC-010', graph, 'soc2').sort()).toEqual(['InvocationBucket', 'InvocationLogs', 'Trail']);
  });

  test('Severity: a store without a customer-managed key is an error when the policy requires keys, a warning under eu and soc2', () => {
    const resources = invocationLogging();
    (resources.InvocationLogs as { Properties: { KmsKeyId?: unknown } }).Properties.KmsKeyId = undefined;
    const graph = graphOf({ name: 'App', template: { Resources: resources } });
    const severities = (policy: Parameters<typeof findings>[2]) => findings('LCG-ENC-010', graph, policy).map((finding) => finding.severity);
    expect([severities(euWithKeys()), severities('eu'), severities('soc2')]).toEqual([['error'], ['warning'], ['warning']]);
  });

  test('Unresolvable: a bucket key imported at deploy time fails closed', () => {
    const resources = invocationLogging();
    (resources.InvocationBucket as { Properties: { BucketEncryption: unknown } }).Properties.BucketEncryption = {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::ImportValue': 'shared-key' } } }],
    };
    const [finding] = findings('LCG-ENC-010', graphOf({ name: 'App', template: { Resources: resources } }));
    expect(finding.message).toMatch(/^Cannot verify that the audit and content log bucket "InvocationBucket" is encrypted with a customer-managed key/);
    expect(finding.cannotVerify).toBe(true);
  });
});

describe('LCG-NET-010 Stacks that can invoke Bedrock have a private bedrock-runtime endpoint', () => {
  test('Noncompliance: no endpoint is a warning, and an error when the policy requires private paths', () => {
    const graph = graphOf({ name: 'App', template: { Resources: { Invoke: invokePolicy(EU_MODEL) } } });
    expect(findings('LCG-NET-010', graph)[0].severity).toBe('warning');
    expect(findings('LCG-NET-010', graph, PRIVATE_EU)[0].severity).toBe('error');
    const noPrivateDns = graphOf({ name: 'App', template: { Resources: { Invoke: invokePolicy(EU_MODEL), Endpoint: runtimeEndpoint({ PrivateDnsEnabled: false }) } } });
    expect(findings('LCG-NET-010', noPrivateDns)).toHaveLength(1);
  });

  test('Compliance: an interface endpoint with private DNS in the same stack', () => {
    expect(passes('LCG-NET-010', graphOf(completeWorkload()), PRIVATE_EU)).toEqual(['Workload']);
  });

  test('Unresolvable: an endpoint in a stack whose account is known only at deploy time', () => {
    const graph = graphOf({ name: 'App', template: { Resources: { Invoke: invokePolicy(EU_MODEL) } } }, { name: 'Network', account: null, template: { Resources: { Endpoint: runtimeEndpoint() } } });
    expect(findings('LCG-NET-010', graph, PRIVATE_EU)[0].message).toMatch(/^Cannot verify that AWS::IAM::Policy "Invoke" .* reaches Bedrock over a private endpoint/);
  });
});

describe('LCG-NET-011 Bedrock invoke permissions are limited to the private endpoint', () => {
  test('Noncompliance: a grant without aws:SourceVpce is a warning, and an error when private paths are required', () => {
    const graph = graphOf({ name: 'App', template: { Resources: { Invoke: invokePolicy(EU_MODEL) } } });
    expect(findings('LCG-NET-011', graph)[0].severity).toBe('warning');
    expect(findings('LCG-NET-011', graph, PRIVATE_EU)[0].attribute).toBe('PolicyDocument.Statement[0].Condition');
  });

  test('Compliance: a grant conditioned on the endpoint', () => {
    expect(passes('LCG-NET-011', graphOf(completeWorkload()), PRIVATE_EU)).toEqual(['Invoke']);
  });

  test('Unresolvable: a statement chosen at deploy time is treated as an unconditioned grant', () => {
    const graph = graphOf({
      name: 'App',
      template: {
        Parameters: { UseBroad: { Type: 'String' } },
        Resources: { Invoke: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ 'Fn::If': ['Broad', { Effect: 'Allow', Action: 'bedrock:*', Resource: '*' }, { Ref: 'AWS::NoValue' }] }] } } } },
      },
    });
    expect(findings('LCG-NET-011', graph, PRIVATE_EU)).toHaveLength(1);
    expect(findings('LCG-RES-010', graph)).toHaveLength(1);
  });
});

describe('every AWS rule works under a US policy too', () => {
  test('GIVEN the EU workload WHEN judged under a US-only policy THEN its model and stack region are out of jurisdiction', () => {
    expect(findings('LCG-RES-010', graphOf(completeWorkload()), US_ONLY)[0].message).toContain('eu-central-1');
  });
});

describe('a SAM template is read as the transform deploys it', () => {
  const sam = (functionProperties: object, globals: object = {}) =>
    graphOf({ name: 'App', template: { Transform: 'AWS::Serverless-2016-10-31', Globals: globals, Resources: { Chat: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'python3.12', Handler: 'app.handler', CodeUri: 'src/', ...functionProperties } } } } as never });

  test('GIVEN a function whose Policies allow a US model, attach AmazonBedrockFullAccess by name, or use a policy template THEN its generated role is judged', () => {
    const inline = sam({ Policies: [{ Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0' }] }, { DynamoDBCrudPolicy: { TableName: 'chats' } }] });
    expect(findings('LCG-RES-010', inline).map((finding) => finding.resource.id)).toEqual(['ChatRole']);
    expect(findings('LCG-RES-010', sam({ Policies: 'AmazonBedrockFullAccess' })).map((finding) => finding.resource.id)).toEqual(['ChatRole']);
    expect(findings('LCG-RES-010', sam({ Policies: [{ DynamoDBCrudPolicy: { TableName: 'chats' } }] }))).toEqual([]);
  });

  test('GIVEN a model id in Globals.Function.Environment THEN every function is handed it, its own variables merged in', () => {
    const graph = sam({ Environment: { Variables: { TABLE: 'chats' } } }, { Function: { Environment: { Variables: { MODEL_ID: 'us.anthropic.claude-3-5-haiku-20241022-v1:0' } } } });
    expect(findings('LCG-RES-014', graph).map((finding) => finding.found)).toEqual(['Environment.Variables.MODEL_ID = us.anthropic.claude-3-5-haiku-20241022-v1:0']);
    expect(passes('LCG-RES-014', sam({ Environment: { Variables: { MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0' } } }))).toEqual(['Chat']);
  });

  test('GIVEN a function with its own Role THEN no role is generated and its Policies are not SAM\'s to attach', () => {
    const graph = sam({ Role: 'arn:aws:iam::111111111111:role/chat', Policies: 'AmazonBedrockFullAccess' });
    expect(graph.resources.map((resource) => `${resource.id} ${resource.type}`)).toEqual(['Chat AWS::Lambda::Function']);
  });
});
