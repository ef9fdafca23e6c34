/**
 * A small EU Bedrock workload used by the gate tests: run by the real cdk
 * CLI, run directly, and built in-process. `LCG_TEST_VIOLATION=1` adds a grant
 * on a model in us-east-1.
 */
import { App, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { ComplianceGate } from '../../../aspects/cdk';
import { BedrockAuditTrail, BedrockInvocationLogging, BedrockModelAccess } from '../../../constructs/aws';

export const WORKLOAD_STACK = 'GateWorkload';

/** Adds the workload to `app`; `violation` grants a model outside the EU through a plain IAM statement. */
export function buildWorkload(app: App, violation: boolean): Stack {
  const stack = new Stack(app, WORKLOAD_STACK, { env: { account: '111111111111', region: 'eu-central-1' } });
  new BedrockInvocationLogging(stack, 'InvocationLogging');
  new BedrockAuditTrail(stack, 'AuditTrail');
  const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  new BedrockModelAccess(stack, 'Models', { foundationModelIds: ['amazon.nova-micro-v1:0'] }).grantInvoke(role);
  if (violation) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0'] }));
  }
  return stack;
}

if (require.main === module) {
  const app = new App();
  ComplianceGate.enable(app, { policyReference: 'eu' });
  buildWorkload(app, process.env.LCG_TEST_VIOLATION === '1');
  app.synth();
}
