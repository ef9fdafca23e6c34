/**
 * The data-flow documentation of the benchmark's 10,000-resource app (25
 * stacks, 1,424 roles granted a model, 2,850 log stores): alike callers and
 * stores are grouped, so the Markdown keeps its diagram within Mermaid's
 * default limits (what GitHub and GitLab render) and stays readable, while the
 * JSON keeps every member.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { buildCdkApp } from '../../bench/apps';
import { MERMAID_MAX_EDGES, MERMAID_MAX_TEXT } from '../../lib/docs/markdown';
import { runCliAsyncInProcess } from '../support/cli';
import { tempDir } from '../support/synth';

jest.setTimeout(180_000);

describe('the data flow of a 10,000-resource app', () => {
  test('GIVEN the benchmark app WHEN documented THEN the Markdown holds the diagram within Mermaid\'s defaults, stays under 200 KB, and the JSON keeps every role and store', async () => {
    const outdir = path.join(tempDir('docs-scale'), 'cdk.out');
    const app = new cdk.App({ outdir });
    buildCdkApp(app, { resources: 10_000 });
    app.synth();
    const out = tempDir('docs-scale-out');
    const result = await runCliAsyncInProcess(['docs', outdir, '--policy', 'eu', '--out', out]);
    expect(result.status).toBe(0);
    const markdown = fs.readFileSync(path.join(out, 'data-flow.md'), 'utf8');
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1];
    expect(diagram).toBeDefined();
    expect(diagram!.length).toBeLessThan(MERMAID_MAX_TEXT);
    expect(diagram!.split('\n').filter((line) => line.includes('-->')).length).toBeLessThan(MERMAID_MAX_EDGES);
    expect(Buffer.byteLength(markdown)).toBeLessThan(200 * 1024);
    const model = JSON.parse(fs.readFileSync(path.join(out, 'data-flow.json'), 'utf8')) as { nodes: { kind: string; resources: { type: string }[]; members?: string[] }[] };
    const members = (kind: string, type: string) => model.nodes.filter((node) => node.kind === kind).flatMap((node) => node.resources).filter((resource) => resource.type === type).length;
    expect([members('caller', 'AWS::IAM::Role'), members('log', 'AWS::S3::Bucket') + members('log', 'AWS::Logs::LogGroup')]).toEqual([1424, 2850]);
  });
});
