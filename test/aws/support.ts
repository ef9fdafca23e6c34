/** Helpers for the AWS tests: synthesize an app with the gate on and capture what happened. */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ComplianceGate, ComplianceGateProps } from '../../aspects/cdk';
import type { Report } from '../../lib/engine/evaluate';
import { tempDir } from '../support/synth';

export const ACCOUNT = '111111111111';
export const EU_ENV = { account: ACCOUNT, region: 'eu-central-1' };

export interface GateOutcome {
  /** The error `app.synth()` threw, if any (the gate fails synthesis by throwing under jest). */
  readonly error?: Error;
  /** The gate's report of the synthesis. */
  readonly report: Report;
  readonly outdir: string;
}

/** Builds an app with the gate enabled (policy `eu` unless given) and synthesizes it. */
export function synthWithGate(build: (app: App) => void, props: ComplianceGateProps = { policyReference: 'eu' }): GateOutcome {
  const outdir = path.join(tempDir('gate'), 'cdk.out');
  const app = new App({ outdir });
  const gate = ComplianceGate.enable(app, { today: '2026-11-25', ...props });
  build(app);
  let error: Error | undefined;
  try {
    app.synth();
  } catch (thrown) {
    error = thrown as Error;
  }
  if (!gate.lastReport) throw new Error(`the gate did not run${error ? `: ${error.message}` : ''}`);
  return { error, report: gate.lastReport, outdir };
}

/** Rule ids of the error-level findings of a report. */
export function errorIds(report: Report): string[] {
  return [...new Set(report.findings.filter((finding) => finding.severity === 'error').map((finding) => finding.ruleId))].sort();
}

/** An EU stack with the given id. */
export function euStack(app: App, id = 'Workload'): Stack {
  return new Stack(app, id, { env: EU_ENV });
}
