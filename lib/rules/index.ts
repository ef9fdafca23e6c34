/**
 * The rule registry. Ids are permanent: a retired rule is marked
 * `deprecated: true` and stays here; a test fails on duplicate ids.
 */
import { awsLogStoreCustomerManagedKey } from './aws/enc-010-log-store-customer-managed-key/rule';
import { bedrockApplicationProfileResidency } from './aws/res-011-bedrock-application-profile-residency/rule';
import { bedrockEndpointResidency } from './aws/res-012-bedrock-endpoint-residency/rule';
import { bedrockInvocationLoggingCoverage } from './aws/log-010-bedrock-invocation-logging-coverage/rule';
import { bedrockInvocationLoggingDestinations } from './aws/log-012-bedrock-invocation-logging-destinations/rule';
import { bedrockInvocationLoggingSingleton } from './aws/log-013-bedrock-invocation-logging-singleton/rule';
import { bedrockInvokeResidency } from './aws/res-010-bedrock-invoke-residency/rule';
import { bedrockInvokeSourceVpce } from './aws/net-011-bedrock-invoke-source-vpce/rule';
import { bedrockPrivateEndpoint } from './aws/net-010-bedrock-private-endpoint/rule';
import { bedrockResourceModelResidency } from './aws/res-013-bedrock-resource-model-residency/rule';
import { codeModelResidency } from './aws/res-014-code-model-residency/rule';
import { stackSetInstanceRegions } from './aws/res-015-stack-set-instance-regions/rule';
import { sageMakerInvokeResidency } from './aws/res-016-sagemaker-invoke-residency/rule';
import { replicaRegions } from './aws/res-017-replica-regions/rule';
import { bedrockCallerLogRetention } from './aws/ret-010-bedrock-caller-log-retention/rule';
import { conversationTableExpiry } from './aws/ret-011-conversation-table-expiry/rule';
import { promptStoreCustomerManagedKey } from './aws/enc-011-prompt-store-customer-managed-key/rule';
import { undeclaredCallerTable } from './aws/ret-012-undeclared-caller-table/rule';
import { zeroDataRetention } from './aws/ret-013-zero-data-retention/rule';
import { vectorStorePublicAccess } from './aws/net-012-vector-store-public-access/rule';
import { bedrockTrailCoverage } from './aws/log-011-bedrock-trail-coverage/rule';
import { bedrockDataEvents } from './aws/log-014-bedrock-data-events/rule';
import { trailDestinations } from './aws/log-015-trail-destinations/rule';
import { logForwardingDestinations } from './aws/log-016-log-forwarding-destinations/rule';
import { azureDeploymentTypeResidency } from './azure/res-030-deployment-type-residency/rule';
import { azureOpenAiEndpointInConfiguration } from './azure/res-031-openai-endpoint-in-configuration/rule';
import { azureLogStorageRetention } from './azure/ret-030-log-storage-retention/rule';
import { azureOpenAiCustomerManagedKey } from './azure/enc-030-openai-customer-managed-key/rule';
import { azureOpenAiDiagnosticLogging } from './azure/log-030-openai-diagnostic-logging/rule';
import { azureOpenAiLocalAuth } from './azure/iam-030-openai-local-auth/rule';
import { azureOpenAiPublicNetwork } from './azure/net-030-openai-public-network/rule';
import { cloudWatchLogRetention } from './aws/ret-001-cloudwatch-log-retention/rule';
import { googleCmekKeyResidency } from './google/res-050-cmek-key-residency/rule';
import { vertexCodeLocation } from './google/res-051-vertex-code-location/rule';
import { googleCustomerManagedKeys } from './google/enc-050-customer-managed-keys/rule';
import { googleLogBucketRetention } from './google/ret-004-log-bucket-retention/rule';
import { googlePredictionLogRetention } from './google/ret-050-prediction-log-retention/rule';
import { googleVertexDataAccessLogs } from './google/log-050-vertex-data-access-logs/rule';
import { googleVertexEndpointPrivateNetwork } from './google/net-050-vertex-endpoint-private-network/rule';
import { locatedResourceResidency } from './common/res-001-located-resource-residency/rule';
import { logAnalyticsRetention } from './azure/ret-003-log-analytics-retention/rule';
import { referencedArnResidency } from './aws/res-003-referenced-arn-residency/rule';
import { providerResidency } from './providers/prv-001-provider-residency/rule';
import { undeclaredProvider } from './providers/prv-002-undeclared-provider/rule';
import { providerBaa } from './providers/prv-003-provider-baa/rule';
import { providerTraining } from './providers/prv-004-provider-training/rule';
import { providerRetention } from './providers/prv-005-provider-retention/rule';
import { providerEvidence } from './providers/prv-006-provider-evidence/rule';
import { failoverPosture } from './providers/prv-007-failover-posture/rule';
import { selfHostedRequestLog } from './providers/prv-008-self-hosted-request-log/rule';
import { Rule } from './rule';
import { s3LogBucketLifecycle } from './aws/ret-002-s3-log-bucket-lifecycle/rule';
import { stackRegionResidency } from './aws/res-002-stack-region-residency/rule';

export const ALL_RULES: readonly Rule[] = [
  locatedResourceResidency,
  stackRegionResidency,
  referencedArnResidency,
  cloudWatchLogRetention,
  s3LogBucketLifecycle,
  logAnalyticsRetention,
  googleLogBucketRetention,
  googleCmekKeyResidency,
  vertexCodeLocation,
  googleVertexDataAccessLogs,
  googleCustomerManagedKeys,
  googleVertexEndpointPrivateNetwork,
  googlePredictionLogRetention,
  azureDeploymentTypeResidency,
  azureOpenAiEndpointInConfiguration,
  azureOpenAiDiagnosticLogging,
  azureOpenAiLocalAuth,
  azureOpenAiPublicNetwork,
  azureOpenAiCustomerManagedKey,
  azureLogStorageRetention,
  bedrockInvokeResidency,
  bedrockApplicationProfileResidency,
  bedrockEndpointResidency,
  bedrockResourceModelResidency,
  codeModelResidency,
  stackSetInstanceRegions,
  sageMakerInvokeResidency,
  replicaRegions,
  bedrockCallerLogRetention,
  conversationTableExpiry,
  undeclaredCallerTable,
  zeroDataRetention,
  promptStoreCustomerManagedKey,
  vectorStorePublicAccess,
  bedrockInvocationLoggingCoverage,
  bedrockTrailCoverage,
  bedrockDataEvents,
  trailDestinations,
  logForwardingDestinations,
  bedrockInvocationLoggingDestinations,
  bedrockInvocationLoggingSingleton,
  awsLogStoreCustomerManagedKey,
  bedrockPrivateEndpoint,
  bedrockInvokeSourceVpce,
  providerResidency,
  undeclaredProvider,
  providerBaa,
  providerTraining,
  providerRetention,
  providerEvidence,
  failoverPosture,
  selfHostedRequestLog,
];

export function findRule(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.id === id);
}

export * from './rule';
