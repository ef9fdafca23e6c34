/**
 * The rule registry. Ids are permanent: a retired rule is marked
 * `deprecated: true` and stays here; a test fails on duplicate ids.
 */
import { awsLogStoreCustomerManagedKey } from './aws-log-store-customer-managed-key';
import { bedrockApplicationProfileResidency } from './aws-bedrock-application-profile-residency';
import { bedrockEndpointResidency } from './aws-bedrock-endpoint-residency';
import { bedrockInvocationLoggingCoverage } from './aws-bedrock-invocation-logging-coverage';
import { bedrockInvocationLoggingDestinations } from './aws-bedrock-invocation-logging-destinations';
import { bedrockInvocationLoggingSingleton } from './aws-bedrock-invocation-logging-singleton';
import { bedrockInvokeResidency } from './aws-bedrock-invoke-residency';
import { bedrockInvokeSourceVpce } from './aws-bedrock-invoke-source-vpce';
import { bedrockPrivateEndpoint } from './aws-bedrock-private-endpoint';
import { bedrockTrailCoverage } from './aws-bedrock-trail-coverage';
import { azureDeploymentTypeResidency } from './azure-deployment-type-residency';
import { azureLogStorageRetention } from './azure-log-storage-retention';
import { azureOpenAiCustomerManagedKey } from './azure-openai-customer-managed-key';
import { azureOpenAiDiagnosticLogging } from './azure-openai-diagnostic-logging';
import { azureOpenAiLocalAuth } from './azure-openai-local-auth';
import { azureOpenAiPublicNetwork } from './azure-openai-public-network';
import { cloudWatchLogRetention } from './cloudwatch-log-retention';
import { googleCmekKeyResidency } from './google-cmek-key-residency';
import { googleCustomerManagedKeys } from './google-customer-managed-keys';
import { googleLogBucketRetention } from './google-log-bucket-retention';
import { googlePredictionLogRetention } from './google-prediction-log-retention';
import { googleVertexDataAccessLogs } from './google-vertex-data-access-logs';
import { googleVertexEndpointPrivateNetwork } from './google-vertex-endpoint-private-network';
import { locatedResourceResidency } from './located-resource-residency';
import { logAnalyticsRetention } from './log-analytics-retention';
import { referencedArnResidency } from './referenced-arn-residency';
import { Rule } from './rule';
import { s3LogBucketLifecycle } from './s3-log-bucket-lifecycle';
import { stackRegionResidency } from './stack-region-residency';

export const ALL_RULES: readonly Rule[] = [
  locatedResourceResidency,
  stackRegionResidency,
  referencedArnResidency,
  cloudWatchLogRetention,
  s3LogBucketLifecycle,
  logAnalyticsRetention,
  googleLogBucketRetention,
  googleCmekKeyResidency,
  googleVertexDataAccessLogs,
  googleCustomerManagedKeys,
  googleVertexEndpointPrivateNetwork,
  googlePredictionLogRetention,
  azureDeploymentTypeResidency,
  azureOpenAiDiagnosticLogging,
  azureOpenAiLocalAuth,
  azureOpenAiPublicNetwork,
  azureOpenAiCustomerManagedKey,
  azureLogStorageRetention,
  bedrockInvokeResidency,
  bedrockApplicationProfileResidency,
  bedrockEndpointResidency,
  bedrockInvocationLoggingCoverage,
  bedrockTrailCoverage,
  bedrockInvocationLoggingDestinations,
  bedrockInvocationLoggingSingleton,
  awsLogStoreCustomerManagedKey,
  bedrockPrivateEndpoint,
  bedrockInvokeSourceVpce,
];

export function findRule(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.id === id);
}

export * from './rule';
