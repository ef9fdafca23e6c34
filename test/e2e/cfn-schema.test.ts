/**
 * Our AWS constructs synthesize templates that pass aws-cdk-lib's
 * CloudFormation schema validation, as users run it (on by default). The
 * validation costs about 10 s a process, so it is off in the other test files
 * (test/support/jest-setup.ts) and tested here once.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildExampleApp } from '../../bin/example-app';
import { BedrockModelAccess } from '../../constructs/aws';
import { GuardrailPolicy } from '../../lib/policy/policy';

const EU = GuardrailPolicy.preset('eu');

describe('CloudFormation schema validation', () => {
  test('GIVEN the example workload (every AWS construct of the package) WHEN synthesized with aws-cdk-lib\'s template validation on THEN no template breaks a resource schema', () => {
    const saved = process.env.CDK_VALIDATION;
    delete process.env.CDK_VALIDATION;
    const printed: string[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    try {
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'lcg-schema-')) });
      const stack = buildExampleApp(app, { account: '111111111111' });
      new BedrockModelAccess(stack, 'ProfiledModels', { foundationModelIds: ['amazon.nova-micro-v1:0'], applicationInferenceProfileName: 'chat-cost-centre', policy: EU });
      app.synth();
    } finally {
      error.mockRestore();
      if (saved === undefined) delete process.env.CDK_VALIDATION;
      else process.env.CDK_VALIDATION = saved;
    }
    expect(printed.filter((line) => /validation/i.test(line))).toEqual([]);
  });
});

