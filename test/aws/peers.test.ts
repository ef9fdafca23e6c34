/**
 * Peers as a test: the example app under cdk-nag 3's AwsSolutions,
 * HIPAA.Security and NIST.800.53.R5 packs has no unacknowledged error, and
 * every acknowledgement has a reason and is listed in the README.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { buildExampleApp } from '../../bin/example-app';
import { tempDir } from '../support/synth';

const LIST = path.join(__dirname, '..', '..', 'README.md');

describe('cdk-nag packs on the example app', () => {
  let app: App;
  let stack: Stack;
  beforeAll(() => {
    app = new App({ outdir: path.join(tempDir('nag'), 'cdk.out') });
    stack = buildExampleApp(app, { account: '111111111111' });
    app.synth();
  });

  test.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['HIPAA.Security', () => new HIPAASecurityChecks()],
    ['NIST.800.53.R5', () => new NIST80053R5Checks()],
  ])('GIVEN the %s pack WHEN it checks the example THEN no error is left unacknowledged', (_name, pack) => {
    const report = pack().validateScope(stack);
    const errors = report.violations.filter((violation) => violation.severity === 'error').map((violation) => `${violation.ruleName} ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`);
    expect(errors).toEqual([]);
  });

  test('THEN every checker acknowledgement in the app has a reason and is listed in the README', () => {
    const inCode: string[] = [];
    for (const construct of app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as { [id: string]: string })) {
          // CloudFormation-Validate acknowledgements come from the CDK itself (and one from the example, listed in prose).
          if (id.startsWith('CloudFormation-Validate::')) continue;
          expect(reason.length).toBeGreaterThanOrEqual(20);
          inCode.push(`${construct.node.path} ${id.replace(/^Annotation::/, '')} ${reason}`);
        }
      }
    }
    const listed = fs
      .readFileSync(LIST, 'utf8')
      .split('\n')
      .map((line) => /^\| `([^`]+)` \| `([^`]+)` \| (.+) \|$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map(([, constructPath, id, reason]) => `${constructPath} ${id} ${reason}`);
    expect(listed.sort()).toEqual(inCode.sort());
  });
});
