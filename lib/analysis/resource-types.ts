/**
 * The resource types the facts layer reads, named once. Rules, the data-flow
 * documentation and the constructs use these names instead of writing the
 * type strings again. CloudFormation and Terraform (hashicorp/aws, azurerm,
 * google) spellings of one kind of resource sit side by side.
 */

/** CloudFormation types. */
export const CFN = {
  logGroup: 'AWS::Logs::LogGroup',
  subscriptionFilter: 'AWS::Logs::SubscriptionFilter',
  bucket: 'AWS::S3::Bucket',
  trail: 'AWS::CloudTrail::Trail',
  firehose: 'AWS::KinesisFirehose::DeliveryStream',
  vpcEndpoint: 'AWS::EC2::VPCEndpoint',
  applicationInferenceProfile: 'AWS::Bedrock::ApplicationInferenceProfile',
  /** Bedrock model-invocation logging as our construct synthesizes it (CloudFormation has no resource for it). */
  invocationLogging: 'Custom::BedrockInvocationLogging',
  /** Bedrock account data retention as our construct synthesizes it (CloudFormation has no resource for it). */
  dataRetention: 'Custom::BedrockDataRetention',
  role: 'AWS::IAM::Role',
  /** An IAM Identity Center permission set: the permissions of the people assigned to it. */
  permissionSet: 'AWS::SSO::PermissionSet',
  user: 'AWS::IAM::User',
  group: 'AWS::IAM::Group',
  policy: 'AWS::IAM::Policy',
  managedPolicy: 'AWS::IAM::ManagedPolicy',
  rolePolicy: 'AWS::IAM::RolePolicy',
  userPolicy: 'AWS::IAM::UserPolicy',
  groupPolicy: 'AWS::IAM::GroupPolicy',
  sageMakerEndpointConfig: 'AWS::SageMaker::EndpointConfig',
  /** Not a resource type: what stack-level findings name as their type. */
  stack: 'AWS::CloudFormation::Stack',
} as const;

/** Prefix of every Amazon Bedrock CloudFormation type. */
export const CFN_BEDROCK_PREFIX = 'AWS::Bedrock::';

/** Terraform types of the hashicorp/aws provider. */
export const TF_AWS = {
  logGroup: 'aws_cloudwatch_log_group',
  subscriptionFilter: 'aws_cloudwatch_log_subscription_filter',
  bucket: 'aws_s3_bucket',
  bucketLifecycle: 'aws_s3_bucket_lifecycle_configuration',
  bucketReplication: 'aws_s3_bucket_replication_configuration',
  bucketEncryption: 'aws_s3_bucket_server_side_encryption_configuration',
  bucketObjectLock: 'aws_s3_bucket_object_lock_configuration',
  bucketVersioning: 'aws_s3_bucket_versioning',
  trail: 'aws_cloudtrail',
  firehose: 'aws_kinesis_firehose_delivery_stream',
  vpcEndpoint: 'aws_vpc_endpoint',
  invocationLogging: 'aws_bedrock_model_invocation_logging_configuration',
  role: 'aws_iam_role',
  permissionSet: 'aws_ssoadmin_permission_set',
  permissionSetInlinePolicy: 'aws_ssoadmin_permission_set_inline_policy',
  permissionSetManagedPolicy: 'aws_ssoadmin_managed_policy_attachment',
  user: 'aws_iam_user',
  group: 'aws_iam_group',
  policy: 'aws_iam_policy',
  rolePolicy: 'aws_iam_role_policy',
  userPolicy: 'aws_iam_user_policy',
  groupPolicy: 'aws_iam_group_policy',
  rolePolicyAttachment: 'aws_iam_role_policy_attachment',
  userPolicyAttachment: 'aws_iam_user_policy_attachment',
  groupPolicyAttachment: 'aws_iam_group_policy_attachment',
  policyAttachment: 'aws_iam_policy_attachment',
  sageMakerEndpointConfig: 'aws_sagemaker_endpoint_configuration',
} as const;

/** Terraform types of the azurerm provider. */
export const TF_AZURE = {
  cognitiveAccount: 'azurerm_cognitive_account',
  cognitiveDeployment: 'azurerm_cognitive_deployment',
  cognitiveAccountCustomerManagedKey: 'azurerm_cognitive_account_customer_managed_key',
  diagnosticSetting: 'azurerm_monitor_diagnostic_setting',
  logAnalyticsWorkspace: 'azurerm_log_analytics_workspace',
  logAnalyticsWorkspaceTable: 'azurerm_log_analytics_workspace_table',
  logAnalyticsDataExportRule: 'azurerm_log_analytics_data_export_rule',
  storageAccount: 'azurerm_storage_account',
  storageManagementPolicy: 'azurerm_storage_management_policy',
  privateEndpoint: 'azurerm_private_endpoint',
  roleAssignment: 'azurerm_role_assignment',
  aiServices: 'azurerm_ai_services',
  /** Azure AI Foundry hubs and projects: judged for residency (their location). */
  aiFoundry: 'azurerm_ai_foundry',
  aiFoundryProject: 'azurerm_ai_foundry_project',
} as const;

/** The azapi provider's generic resource, and the Azure resource types (before `@<api version>`) the facts layer reads through it. */
export const AZAPI = {
  resource: 'azapi_resource',
  cognitiveAccount: 'Microsoft.CognitiveServices/accounts',
  cognitiveDeployment: 'Microsoft.CognitiveServices/accounts/deployments',
} as const;

/** Terraform types of the google provider. */
export const TF_GOOGLE = {
  vertexEndpoint: 'google_vertex_ai_endpoint',
  vertexEndpointIamMember: 'google_vertex_ai_endpoint_iam_member',
  vertexEndpointIamBinding: 'google_vertex_ai_endpoint_iam_binding',
  projectIamMember: 'google_project_iam_member',
  projectIamBinding: 'google_project_iam_binding',
  projectCustomRole: 'google_project_iam_custom_role',
  organizationCustomRole: 'google_organization_iam_custom_role',
  projectAuditConfig: 'google_project_iam_audit_config',
  serviceAccount: 'google_service_account',
  loggingProjectBucket: 'google_logging_project_bucket_config',
  loggingOrganizationBucket: 'google_logging_organization_bucket_config',
  loggingFolderBucket: 'google_logging_folder_bucket_config',
  loggingBillingAccountBucket: 'google_logging_billing_account_bucket_config',
  loggingProjectSink: 'google_logging_project_sink',
  loggingFolderSink: 'google_logging_folder_sink',
  loggingOrganizationSink: 'google_logging_organization_sink',
  loggingProjectExclusion: 'google_logging_project_exclusion',
  bigQueryDataset: 'google_bigquery_dataset',
  bigQueryTable: 'google_bigquery_table',
  storageBucket: 'google_storage_bucket',
  kmsCryptoKey: 'google_kms_crypto_key',
  kmsKeyRing: 'google_kms_key_ring',
  computeNetwork: 'google_compute_network',
  project: 'google_project',
  organizationAuditConfig: 'google_organization_iam_audit_config',
  folderAuditConfig: 'google_folder_iam_audit_config',
  /** Vertex AI resources beyond endpoints that hold or serve model data: judged for residency (and CMEK where they take a key). */
  vertexReasoningEngine: 'google_vertex_ai_reasoning_engine',
  vertexFeatureOnlineStore: 'google_vertex_ai_feature_online_store',
  vertexFeatureGroup: 'google_vertex_ai_feature_group',
  vertexIndex: 'google_vertex_ai_index',
  vertexIndexEndpoint: 'google_vertex_ai_index_endpoint',
  vertexDeploymentResourcePool: 'google_vertex_ai_deployment_resource_pool',
  vertexRagEngineConfig: 'google_vertex_ai_rag_engine_config',
  vertexMetadataStore: 'google_vertex_ai_metadata_store',
  vertexDataset: 'google_vertex_ai_dataset',
  vertexFeaturestore: 'google_vertex_ai_featurestore',
  vertexTensorboard: 'google_vertex_ai_tensorboard',
} as const;

/** Prefixes of whole families of Terraform types. */
export const TF_PREFIX = {
  vertex: 'google_vertex_ai_',
  googleKms: 'google_kms_',
} as const;

/** A list of types, typed as plain strings so that any resource type can be looked up in it. */
function types(...names: string[]): readonly string[] {
  return names;
}

/** Both spellings of the AWS log stores and log plumbing. */
export const AWS_TYPES = {
  logGroups: types(CFN.logGroup, TF_AWS.logGroup),
  buckets: types(CFN.bucket, TF_AWS.bucket),
  trails: types(CFN.trail, TF_AWS.trail),
  invocationLogging: types(CFN.invocationLogging, TF_AWS.invocationLogging),
  subscriptionFilters: types(CFN.subscriptionFilter, TF_AWS.subscriptionFilter),
  firehoses: types(CFN.firehose, TF_AWS.firehose),
  vpcEndpoints: types(CFN.vpcEndpoint, TF_AWS.vpcEndpoint),
  sageMakerEndpointConfigs: types(CFN.sageMakerEndpointConfig, TF_AWS.sageMakerEndpointConfig),
  /** Identities that can hold permissions. */
  principals: types(CFN.role, CFN.user, CFN.group, CFN.permissionSet, TF_AWS.role, TF_AWS.user, TF_AWS.group, TF_AWS.permissionSet),
  /** Policies attached to identities. */
  policies: types(CFN.policy, CFN.managedPolicy, CFN.rolePolicy, CFN.userPolicy, CFN.groupPolicy, TF_AWS.policy, TF_AWS.rolePolicy, TF_AWS.userPolicy, TF_AWS.groupPolicy, TF_AWS.permissionSetInlinePolicy),
  policyAttachments: types(TF_AWS.rolePolicyAttachment, TF_AWS.userPolicyAttachment, TF_AWS.groupPolicyAttachment, TF_AWS.policyAttachment, TF_AWS.permissionSetManagedPolicy),
};

/** Cloud Logging bucket configurations at every level of the resource hierarchy. */
export const GOOGLE_LOG_BUCKET_TYPES = types(TF_GOOGLE.loggingProjectBucket, TF_GOOGLE.loggingOrganizationBucket, TF_GOOGLE.loggingFolderBucket, TF_GOOGLE.loggingBillingAccountBucket);
