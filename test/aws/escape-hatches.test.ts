/**
 * Only the synthesized template counts: changes made through escape hatches,
 * raw L1 resources and other people's constructs are judged like ours.
 */
import * as path from 'path';
import { App, CfnResource, CustomResource, Stack, aws_cloudtrail as cloudtrail, aws_iam as iam, aws_logs as logs, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ComplianceGate } from '../../aspects/cdk';
import { BedrockInvocationLogging, BedrockModelAccess } from '../../constructs/aws';
import { tempDir } from '../support/synth';
import { WORKLOAD_STACK, buildWorkload } from './apps/workload';
import { EU_ENV, errorIds, synthWithGate } from './support';

/** The CloudFormation resource of a construct in the workload stack, by path below the stack. */
function cfnAt(stack: Stack, ...path: string[]): CfnResource {
  let node = stack.node;
  for (const id of path) node = node.findChild(id).node;
  return node.defaultChild instanceof CfnResource ? node.defaultChild : (node.scope as CfnResource);
}

describe('escape hatches and foreign constructs fail synthesis', () => {
  test('GIVEN addPropertyOverride keeping invocation logs (prompts) for ten years WHEN synthesized THEN LCG-RET-001 fails it', () => {
    const { error, report } = synthWithGate((app) => {
      const stack = buildWorkload(app, false);
      cfnAt(stack, 'InvocationLogging', 'LogGroup').addPropertyOverride('RetentionInDays', 3653);
    });
    expect(error?.message).toContain('LCG-RET-001');
    expect(errorIds(report)).toEqual(['LCG-RET-001']);
    expect(report.findings[0].resource.path).toBe(`${WORKLOAD_STACK}/InvocationLogging/LogGroup/Resource`);
    expect(report.findings[0].found).toBe('RetentionInDays = 3653 days');
  });

  test('GIVEN addOverride moving the granted model to London WHEN synthesized THEN LCG-RES-010 fails it (eu-west-2 is not in the EU)', () => {
    const { error, report } = synthWithGate((app) => {
      const stack = buildWorkload(app, false);
      const policy = stack.node.findChild('AppRole').node.findChild('DefaultPolicy').node.defaultChild as CfnResource;
      policy.addOverride('Properties.PolicyDocument.Statement.0.Resource', 'arn:aws:bedrock:eu-west-2::foundation-model/amazon.nova-micro-v1:0');
    });
    expect(error?.message).toContain('LCG-RES-010');
    // The role now invokes in London, where the app has no invocation logging either.
    expect(errorIds(report)).toEqual(['LCG-LOG-010', 'LCG-RES-010']);
    expect(report.findings.find((finding) => finding.ruleId === 'LCG-RES-010')?.message).toContain('eu-west-2 (Europe (London), GB)');
    expect(report.findings.find((finding) => finding.ruleId === 'LCG-LOG-010')?.message).toContain('111111111111/eu-west-2');
  });

  test('GIVEN addOverride shortening the log bucket lifecycle below the audit minimum WHEN synthesized THEN LCG-RET-002 fails it', () => {
    const { error, report } = synthWithGate((app) => {
      const stack = buildWorkload(app, false);
      cfnAt(stack, 'InvocationLogging', 'Bucket').addOverride('Properties.LifecycleConfiguration.Rules.0.ExpirationInDays', 30);
    });
    expect(error?.message).toContain('LCG-RET-002');
    expect(errorIds(report)).toEqual(['LCG-RET-002']);
  });

  test('GIVEN a raw CfnResource IAM policy allowing bedrock:* on "*" WHEN synthesized THEN LCG-RES-010 fails it', () => {
    const { error, report } = synthWithGate((app) => {
      const stack = buildWorkload(app, false);
      const role = stack.node.findChild('AppRole') as iam.Role;
      new CfnResource(stack, 'RawPolicy', {
        type: 'AWS::IAM::Policy',
        properties: { PolicyName: 'everything-bedrock', Roles: [role.roleName], PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:*', Resource: '*' }] } },
      });
    });
    expect(error?.message).toContain('LCG-RES-010');
    expect(errorIds(report)).toEqual(['LCG-RES-010']);
    expect(report.findings.find((finding) => finding.ruleId === 'LCG-RES-010')?.resource.path).toBe(`${WORKLOAD_STACK}/RawPolicy`);
  });

  test("GIVEN someone else's hand-rolled invocation logging into a plain s3.Bucket WHEN synthesized THEN retention and encryption rules fail it", () => {
    /** A typical hand-rolled construct: a default bucket and a custom resource pointing Bedrock at it. */
    class HandRolledBedrockLogging extends Construct {
      constructor(scope: Construct, id: string) {
        super(scope, id);
        const bucket = new s3.Bucket(this, 'Logs');
        new CustomResource(this, 'Config', {
          resourceType: 'Custom::BedrockInvocationLogging',
          serviceToken: `arn:aws:lambda:eu-central-1:${EU_ENV.account}:function:bedrock-logging`,
          properties: { LoggingConfig: { s3Config: { bucketName: bucket.bucketName }, textDataDeliveryEnabled: true } },
        });
      }
    }
    const { error, report } = synthWithGate((app) => {
      const stack = new Stack(app, 'ThirdParty', { env: EU_ENV });
      new HandRolledBedrockLogging(stack, 'TheirLogging');
      new cloudtrail.Trail(stack, 'TheirTrail', { sendToCloudWatchLogs: true, cloudWatchLogsRetention: logs.RetentionDays.ONE_YEAR });
      const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      new BedrockModelAccess(stack, 'Models', { foundationModelIds: ['amazon.nova-micro-v1:0'] }).grantInvoke(role);
    });
    expect(error?.message).toContain('LCG-RET-002');
    // The plain bucket never expires prompt logs (an error); it uses S3-managed keys and the plain trail has no KMS key (warnings: eu does not require customer-managed keys).
    expect(errorIds(report)).toEqual(['LCG-RET-002']);
    const byResource = report.findings.map((finding) => `${finding.severity} ${finding.ruleId} ${finding.resource.path}`);
    expect(byResource).toEqual(
      expect.arrayContaining([
        'error LCG-RET-002 ThirdParty/TheirLogging/Logs/Resource',
        'warning LCG-ENC-010 ThirdParty/TheirLogging/Logs/Resource',
        'warning LCG-ENC-010 ThirdParty/TheirTrail/Resource',
      ]),
    );
  });

  test('GIVEN two invocation logging configurations for one account and region WHEN synthesized THEN synthesis fails before deployment', () => {
    const app = new App({ outdir: path.join(tempDir('twice'), 'cdk.out') });
    ComplianceGate.enable(app, { policyReference: 'eu' });
    buildWorkload(app, false);
    new BedrockInvocationLogging(new Stack(app, 'Second', { env: EU_ENV }), 'InvocationLogging');
    // The construct's own validation reports it before the templates are judged (LCG-LOG-013 judges templates).
    expect(() => app.synth()).toThrow(/111111111111\/eu-central-1 is also configured at "Second\/InvocationLogging"/);
  });
});
