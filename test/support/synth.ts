/**
 * Produces real synthesized outputs for tests: a CDK cloud assembly with
 * aws-cdk-lib and a CDKTF output with cdktf, written to a temporary folder.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `lcg-${prefix}-`));
}

/** Synthesizes a CDK app built by `build` into a fresh `cdk.out` and returns its path. */
export function synthCdk(build: (app: import('aws-cdk-lib').App) => void): string {
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const outdir = path.join(tempDir('cdk'), 'cdk.out');
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  build(app);
  app.synth();
  return outdir;
}

/** Synthesizes a CDKTF app built by `build` into a fresh `cdktf.out` and returns its path. */
export function synthCdktf(build: (app: import('cdktf').App) => void): string {
  const { App } = require('cdktf') as typeof import('cdktf');
  const outdir = path.join(tempDir('cdktf'), 'cdktf.out');
  const app = new App({ outdir, skipValidation: true });
  build(app);
  app.synth();
  return outdir;
}

/** Writes a JSON document to a temporary file and returns its path. */
export function writeJson(name: string, document: unknown): string {
  const file = path.join(tempDir('json'), name);
  fs.writeFileSync(file, JSON.stringify(document, null, 2));
  return file;
}
