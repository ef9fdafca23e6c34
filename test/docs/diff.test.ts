/**
 * `llm-guardrail docs --diff`: what a change does to where data goes, as
 * Markdown for a pull-request comment, on two versions of the AWS example app
 * (the second grants a global inference profile, which the `eu` policy
 * forbids).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildExampleApp } from '../../bin/example-app';
import { DataFlowModel, diffDataFlow } from '../../lib/docs';
import { runCliInProcess } from '../support/cli';
import { tempDir } from '../support/synth';

function synth(violation: boolean): string {
  const outdir = path.join(tempDir(violation ? 'diff-v2' : 'diff-v1'), 'cdk.out');
  const app = new App({ outdir });
  buildExampleApp(app, { account: '111111111111', violation });
  app.synth();
  return outdir;
}

function docs(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return runCliInProcess(['docs', ...args, '--policy', 'eu', '--today', '2026-11-25']);
}

describe('docs --diff: what a change does to where data goes', () => {
  const v1 = synth(false);
  const v2 = synth(true);
  const committed = tempDir('diff-committed');
  beforeAll(() => {
    expect(docs([v1, '--out', committed]).status).toBe(0);
  });

  test('GIVEN the same app THEN it says nothing changed, and writes no file', () => {
    const result = docs([v1, '--diff', committed]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('No change to where data goes, how it is protected or how long it is kept.');
    expect(fs.readdirSync(process.cwd()).filter((file) => file.startsWith('data-flow.'))).toEqual([]);
  });

  test('GIVEN the version that grants a global inference profile THEN the comment names the new hop, the new endpoint outside the policy residency and the opened finding', () => {
    const result = docs([v2, '--diff', path.join(committed, 'data-flow.json')]);
    expect(result.status).toBe(0);
    const markdown = result.stdout;
    expect(markdown).toMatch(/^## Data-flow changes\n/);
    expect(markdown).toMatch(/\*\*Summary\*\*: 10 hop\(s\) added, 0 removed; 2 node\(s\) added, 0 removed; 0 posture change\(s\); 3 finding\(s\) opened, 0 resolved\./);
    expect(markdown).toContain('**Residency**: new Bedrock anthropic.claude-sonnet-4-5-20250929-v1:0 is where residency cannot be verified; new Bedrock global.anthropic.claude-sonnet-4-5-20250929-v1:0 is OUTSIDE the policy residency.');
    expect(markdown).toMatch(/### Hops added\n\n\| From \| To \| Data \|.*\n\| --- .*\n(\|.*\n)*\| EuLlmWorkload\/BedrockEndpoint\/Endpoint \| Bedrock global\.[^|]* \| prompts and model responses \| PII \|/);
    expect(markdown).toMatch(/### Nodes added and removed\n\n[\s\S]*\| Bedrock global\.[^|]* \| added \|/);
    expect(markdown).toMatch(/### Findings\n\n[\s\S]*\| LCG-RES-010 EuLlmWorkload\/[^|]* \(error\) \| [^|]*claude-sonnet-4-5[^|]* \| opened \|/);
  });

  test('GIVEN the change reverted THEN the hop and node are removed and the finding resolved', () => {
    const later = tempDir('diff-later');
    expect(docs([v2, '--out', later]).status).toBe(0);
    const markdown = docs([v1, '--diff', later]).stdout;
    expect(markdown).toMatch(/0 hop\(s\) added, 10 removed; 0 node\(s\) added, 2 removed/);
    expect(markdown).toContain('| resolved |');
    expect(markdown).toMatch(/### Hops removed/);
  });

  test('GIVEN a file that is not a data-flow.json THEN exit 2 with one line saying what to pass', () => {
    const file = path.join(tempDir('diff-bad'), 'report.json');
    fs.writeFileSync(file, JSON.stringify({ findings: [] }));
    const result = docs([v1, '--diff', file]);
    expect({ status: result.status, lines: result.stderr.trim().split('\n') }).toEqual({ status: 2, lines: [expect.stringContaining('is not a data-flow.json (no nodes, hops and findings)')] });
  });
});

describe('diffDataFlow compares by identity, not by name', () => {
  const node = (id: string, label: string) => ({ id, kind: 'log' as const, label, cloud: 'aws' as const, resources: [], classification: 'pii' as const, classificationSource: 'policy' as const, details: [], findingIds: [] });
  const finding = (id: string, message: string) => ({ id, ruleId: 'LCG-PRV-002', severity: 'error' as const, status: 'open' as const, resource: 'App/Fn', title: 't', message });
  const model = (nodes: ReturnType<typeof node>[], findings: ReturnType<typeof finding>[]) => ({ nodes, hops: [], findings, policy: { name: 'eu' }, catalogs: [], stacks: [], unlinkedFindingIds: [] }) as unknown as DataFlowModel;

  test('GIVEN two nodes with the same label and one of them removed THEN one removal is reported', () => {
    const diff = diffDataFlow(model([node('log:a', '3 × AWS::S3::Bucket'), node('log:b', '3 × AWS::S3::Bucket')], []), model([node('log:a', '3 × AWS::S3::Bucket')], []));
    expect(diff.nodesRemoved).toEqual(['3 × AWS::S3::Bucket']);
  });

  test('GIVEN a second finding of the same rule on the same resource THEN it is an opened finding', () => {
    const diff = diffDataFlow(model([], [finding('F1', 'calls OpenAI')]), model([], [finding('F1', 'calls OpenAI'), finding('F2', 'calls Anthropic')]));
    expect(diff.findingsOpened).toEqual(['LCG-PRV-002 App/Fn (error): calls Anthropic']);
  });
});
