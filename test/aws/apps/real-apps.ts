/**
 * Three kinds of Bedrock app as teams build them, written from scratch with
 * aws-cdk-lib: a RAG backend (a knowledge base on OpenSearch Serverless,
 * Node.js functions behind API Gateway and WAF), a generative-AI app of many
 * functions that choose their models through environment variables, and an
 * agent whose service role is imported. Each carries the defects those apps
 * really have; `fixed` builds the version a team would ship after the gate.
 */
import { Duration, RemovalPolicy, Stack, aws_apigateway as apigateway, aws_bedrock as bedrock, aws_dynamodb as dynamodb, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_logs as logs, aws_opensearchserverless as aoss, aws_s3 as s3, aws_wafv2 as wafv2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BedrockAuditTrail, BedrockInvocationLogging } from '../../../constructs/aws';

const ENV = { account: '111111111111', region: 'eu-central-1' };
const CODE = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });');
const EMBEDDINGS = 'arn:aws:bedrock:eu-central-1::foundation-model/amazon.titan-embed-text-v2:0';

/** A function as these apps write them: Node.js, a role, environment variables; a log group of its own only when `logs` is set. */
function appFunction(scope: Construct, id: string, environment: { [name: string]: string }, logGroup?: logs.ILogGroup): lambda.Function {
  return new lambda.Function(scope, id, { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: CODE, environment, timeout: Duration.seconds(30), ...(logGroup ? { logGroup } : {}) });
}

/** RAG backend: knowledge base on an OpenSearch Serverless collection, documents in S3, six functions, API Gateway with WAF. */
export function ragApp(scope: Construct, fixed: boolean): Stack {
  const stack = new Stack(scope, 'RagBackend', { env: ENV });
  new BedrockInvocationLogging(stack, 'InvocationLogging');
  new BedrockAuditTrail(stack, 'AuditTrail');
  const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
  const documents = new s3.Bucket(stack, 'Documents', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, enforceSSL: true, removalPolicy: RemovalPolicy.RETAIN });
  const collectionName = 'rag-chunks';
  const encryption = new aoss.CfnSecurityPolicy(stack, 'ChunksEncryption', {
    name: 'rag-chunks-encryption',
    type: 'encryption',
    policy: JSON.stringify({ Rules: [{ ResourceType: 'collection', Resource: [`collection/${collectionName}`] }], ...(fixed ? { AWSOwnedKey: false, KmsARN: key.keyArn } : { AWSOwnedKey: true }) }),
  });
  new aoss.CfnSecurityPolicy(stack, 'ChunksNetwork', {
    name: 'rag-chunks-network',
    type: 'network',
    policy: JSON.stringify([{ Rules: [{ ResourceType: 'collection', Resource: [`collection/${collectionName}`] }], AllowFromPublic: !fixed, ...(fixed ? { SourceServices: ['bedrock.amazonaws.com'] } : {}) }]),
  });
  const collection = new aoss.CfnCollection(stack, 'Chunks', { name: collectionName, type: 'VECTORSEARCH' });
  collection.node.addDependency(encryption);
  const kbRole = new iam.Role(stack, 'KnowledgeBaseRole', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
  kbRole.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [EMBEDDINGS] }));
  documents.grantRead(kbRole);
  const kb = new bedrock.CfnKnowledgeBase(stack, 'KnowledgeBase', {
    name: 'claims',
    roleArn: kbRole.roleArn,
    knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: EMBEDDINGS } },
    storageConfiguration: {
      type: 'OPENSEARCH_SERVERLESS',
      opensearchServerlessConfiguration: { collectionArn: collection.attrArn, vectorIndexName: 'claims', fieldMapping: { vectorField: 'vector', textField: 'text', metadataField: 'metadata' } },
    },
  });
  // The real defect: a US profile written inside a Frankfurt foundation-model ARN parses every document in the US.
  const parsingModel = fixed ? 'arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0' : 'arn:aws:bedrock:eu-central-1::foundation-model/us.anthropic.claude-3-5-sonnet-20241022-v2:0';
  new bedrock.CfnDataSource(stack, 'DocumentsSource', {
    name: 'documents',
    knowledgeBaseId: kb.attrKnowledgeBaseId,
    dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: documents.bucketArn } },
    vectorIngestionConfiguration: { parsingConfiguration: { parsingStrategy: 'BEDROCK_FOUNDATION_MODEL', bedrockFoundationModelConfiguration: { modelArn: parsingModel } } },
  });
  const api = new apigateway.RestApi(stack, 'Api', { deployOptions: { stageName: 'prod' } });
  for (const name of ['Query', 'Ingest', 'Feedback', 'Sessions', 'Health', 'Admin']) {
    const logGroup = fixed ? new logs.LogGroup(stack, `${name}Logs`, { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: key }) : undefined;
    const fn = appFunction(stack, name, { KNOWLEDGE_BASE_ID: kb.attrKnowledgeBaseId, MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0' }, logGroup);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel', 'bedrock:Retrieve'], resources: ['arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0', kb.attrKnowledgeBaseArn] }));
    api.root.addResource(name.toLowerCase()).addMethod('POST', new apigateway.LambdaIntegration(fn));
  }
  new wafv2.CfnWebACL(stack, 'Firewall', { scope: 'REGIONAL', defaultAction: { allow: {} }, visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'rag', sampledRequestsEnabled: true }, rules: [] });
  return stack;
}

/** Generative-AI app: many functions choosing their models through MODEL_ID, MODEL_IDS and MODEL_REGION; chat history in DynamoDB. */
export function genAiApp(scope: Construct, fixed: boolean, functions = 50): Stack {
  const stack = new Stack(scope, 'GenAiApp', { env: ENV });
  new BedrockInvocationLogging(stack, 'InvocationLogging');
  new BedrockAuditTrail(stack, 'AuditTrail');
  const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
  const history = new dynamodb.Table(stack, 'ChatHistory', {
    partitionKey: { name: 'sessionId', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    ...(fixed ? { timeToLiveAttribute: 'expiresAt', encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key } : {}),
  });
  const models = fixed ? '["anthropic.claude-3-haiku-20240307-v1:0","amazon.nova-lite-v1:0"]' : '["anthropic.claude-3-haiku-20240307-v1:0","us.anthropic.claude-3-5-sonnet-20241022-v2:0"]';
  for (let index = 0; index < functions; index++) {
    const environment: { [name: string]: string } = { MODEL_IDS: models, HISTORY_TABLE: history.tableName };
    // Every tenth function calls Bedrock in another region through MODEL_REGION: those calls are logged nowhere.
    if (index % 10 === 0 && !fixed) environment.MODEL_REGION = 'us-east-1';
    const logGroup = fixed ? new logs.LogGroup(stack, `Worker${index}Logs`, { retention: logs.RetentionDays.TWO_WEEKS, encryptionKey: key }) : undefined;
    const fn = appFunction(stack, `Worker${index}`, environment, logGroup);
    history.grantReadWriteData(fn);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:eu-central-1::foundation-model/*'] }));
  }
  return stack;
}

/** Agent sample: an agent with an imported service role, a guardrail and an action-group function. */
export function agentApp(scope: Construct, fixed: boolean): Stack {
  const stack = new Stack(scope, 'AgentSample', { env: ENV });
  new BedrockInvocationLogging(stack, 'InvocationLogging');
  new BedrockAuditTrail(stack, 'AuditTrail');
  const role = iam.Role.fromRoleArn(stack, 'AgentRole', 'arn:aws:iam::111111111111:role/platform/bedrock-agent');
  const guardrail = new bedrock.CfnGuardrail(stack, 'Guardrail', {
    name: 'agent-guardrail',
    blockedInputMessaging: 'Sorry, I cannot help with that.',
    blockedOutputsMessaging: 'Sorry, I cannot help with that.',
    contentPolicyConfig: { filtersConfig: [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }] },
    ...(fixed ? {} : { crossRegionConfig: { guardrailProfileArn: 'arn:aws:bedrock:eu-central-1:111111111111:guardrail-profile/us.guardrail.v1:0' } }),
  });
  const actions = appFunction(stack, 'Actions', { TABLE: 'orders' }, fixed ? new logs.LogGroup(stack, 'ActionsLogs', { retention: logs.RetentionDays.ONE_MONTH }) : undefined);
  new bedrock.CfnAgent(stack, 'Agent', {
    agentName: 'orders-agent',
    agentResourceRoleArn: role.roleArn,
    foundationModel: fixed ? 'anthropic.claude-3-haiku-20240307-v1:0' : 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    instruction: 'You help customers with the status of their orders using the order actions.',
    guardrailConfiguration: { guardrailIdentifier: guardrail.attrGuardrailId, guardrailVersion: 'DRAFT' },
    actionGroups: [{ actionGroupName: 'orders', actionGroupExecutor: { lambda: actions.functionArn }, functionSchema: { functions: [{ name: 'status', parameters: { orderId: { type: 'string', required: true } } }] } }],
  });
  return stack;
}
