/**
 * Google Vertex AI on CDK for Terraform: region-pinned, customer-key
 * encrypted, privately reached endpoints and the audit trail of their use.
 * Provider resources are imported by deep path to keep loading cheap.
 */
export { RegionalVertexAiEndpoint } from './vertex-ai-endpoint';
export type { RegionalVertexAiEndpointProps } from './vertex-ai-endpoint';
export { VertexAiAuditLogging, VERTEX_AI_SERVICE } from './vertex-ai-audit-logging';
export type { VertexAiAuditLoggingProps } from './vertex-ai-audit-logging';
export { LocationPinnedKey, KMS_ENCRYPTER_DECRYPTER_ROLE } from './customer-managed-key';
export type { LocationPinnedKeyProps } from './customer-managed-key';
export { ResourceLocationsPolicy, RESOURCE_LOCATIONS_CONSTRAINT, allowedLocationValues } from './resource-locations-policy';
export type { ResourceLocationsPolicyProps } from './resource-locations-policy';
export { vertexAiRegionalHost } from './locations';
export type { GoogleLocationKind } from './locations';
