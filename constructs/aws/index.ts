/** Region-pinned Amazon Bedrock constructs for the AWS CDK. */
import { requireAwsCdkLib } from './requirements';

requireAwsCdkLib();

export * from './audit-trail';
export * from './data-retention';
export * from './invocation-logging';
export * from './model-access';
export * from './private-endpoint';
export * from './external-provider';
export { ComplianceGate, ComplianceGateAspect, GATE_PLUGIN_NAME, GATE_REPORT_FILE } from '../../aspects/cdk';
export type { ComplianceGateProps, GateAcknowledgement } from '../../aspects/cdk';
export { MINIMUM_AWS_CDK_LIB_FOR_CONSTRUCTS, requireAwsCdkLib } from './requirements';
