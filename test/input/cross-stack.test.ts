/**
 * Cross-stack references: CDK writes an `Fn::ImportValue` of an export for
 * every construct one stack uses from another. The imported resource is a
 * resource of the app, judged where it is defined — not a deploy-time value
 * that nobody can verify.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Reference, Unresolved } from '../../lib/core/values';
import { runGuardrail } from '../../lib/gate/run';
import { loadInput } from '../../lib/input/load';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { synthCdk, writeJson } from '../support/synth';
import { synthWithGate } from '../aws/support';

const ENV = { account: '111111111111', region: 'eu-central-1' };

/** A logging stack with the trail's bucket, and a workload stack whose trail delivers to it and whose role invokes Bedrock. */
function buildApp(app: App): void {
    const logging = new Stack(app, 'Logging', { env: ENV });
    const bucket = new s3.Bucket(logging, 'TrailBucket');
    const workload = new Stack(app, 'Workload', { env: ENV });
    new cloudtrail.CfnTrail(workload, 'Trail', { isLogging: true, isMultiRegionTrail: true, s3BucketName: bucket.bucketName });
    const role = new iam.Role(workload, 'Chat', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-lite-v1:0'] }));
}

describe('a trail whose bucket another stack of the app defines', () => {
  const assembly = synthCdk(buildApp);

  test('GIVEN the Fn::ImportValue CDK writes THEN it reads as a reference to the exporting stack\'s bucket, and LCG-LOG-015 passes', () => {
    const { graph } = loadInput(assembly);
    const trail = graph.resources.find((resource) => resource.type === 'AWS::CloudTrail::Trail')!;
    expect(trail.properties.S3BucketName).toBeInstanceOf(Reference);
    expect(graph.get((trail.properties.S3BucketName as Reference).target)?.type).toBe('AWS::S3::Bucket');
    const report = runGuardrail(graph, GuardrailPolicy.preset('eu'), { today: '2026-11-25' }).report;
    expect(report.findings.filter((finding) => finding.ruleId === 'LCG-LOG-015')).toEqual([]);
    expect(report.checks.some((check) => check.ruleId === 'LCG-LOG-015' && check.status === 'pass')).toBe(true);
  });

  test('GIVEN an import of a name no stack of the input exports THEN it stays a deploy-time value', () => {
    const template = writeJson('template.json', {
      Resources: { Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, IsMultiRegionTrail: true, S3BucketName: { 'Fn::ImportValue': 'Central:TrailBucket' } } } },
    });
    const { graph } = loadInput(template);
    expect(graph.resources[0].properties.S3BucketName).toBeInstanceOf(Unresolved);
  });
});

describe('the CDK gate on the same app', () => {
  test('GIVEN a trail whose bucket another stack defines WHEN synthesized through the gate THEN the gate reads the import as the CLI does: LCG-LOG-015 passes', () => {
    const { report } = synthWithGate(buildApp);
    expect(report.findings.filter((finding) => finding.ruleId === 'LCG-LOG-015')).toEqual([]);
    expect(report.checks.some((check) => check.ruleId === 'LCG-LOG-015' && check.status === 'pass')).toBe(true);
  });
});
