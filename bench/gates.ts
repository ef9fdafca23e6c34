/**
 * The one place the benchmark turns the compliance gate on. The gates are
 * loaded by path at run time, so the benchmark measures whatever gate the
 * package currently has; when a gate is missing, the worker falls back to
 * running the engine over the synthesized output in the same process (the
 * work a gate does).
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as cdk from 'aws-cdk-lib';
import type * as cdktf from 'cdktf';

/** The policy every benchmark run is judged against. */
export const BENCH_POLICY = 'eu';

/** Compiled gate modules, next to this file's compiled form (dist/bench → dist/aspects). */
const CDK_GATE_MODULE = path.join(__dirname, '..', 'aspects', 'cdk.js');
const CDKTF_GATE_MODULE = path.join(__dirname, '..', 'aspects', 'cdktf.js');

/** The part of the CDK gate's API the benchmark uses: `validate` is the plugin's entry point, called once per synthesis. */
interface CdkGateModule {
  readonly ComplianceGate?: { enable(app: cdk.App, props: { policyReference: string; dataFlowDocs: boolean }): { validate?: (...args: unknown[]) => unknown } };
}

/** The part of the CDKTF gate's API the benchmark uses: `judge` (private) runs once per stack. */
interface CdktfGateModule {
  readonly CdktfGuardrail?: { enable(app: cdktf.App, props: { policyReference: string; dataFlowDocs: boolean }): { judge?: (...args: unknown[]) => unknown } };
}

/** How the gate is configured for a run. */
export interface GateOptions {
  /** Whether the gate writes the data-flow documentation (Markdown, JSON, HTML) at each synthesis. */
  readonly dataFlowDocs: boolean;
}

let gateWork = 0n;
/** Process CPU (all threads: the garbage collector's and the compiler's too) while inside the gate, in microseconds. */
let gateWorkCpu = 0;
/** Time the gate spent in cdktf's own rendering of a stack, which cdktf's writer then reuses: synthesis does it gated or not. */
let sharedRendering = 0n;
let insideGate = false;

/**
 * Seconds spent inside the gate's own entry point so far (CDK: the plugin's
 * `validate`; CDKTF: the per-stack `judge`), less cdktf's own rendering of the
 * stack's Terraform JSON that the gate asks for and cdktf's writer then
 * reuses instead of rendering it again (bare synthesis renders it too).
 * Unlike a difference of two end-to-end runs, it is not swamped by noise;
 * it leaves out what enabling the gate costs the framework itself.
 */
export function gateWorkSeconds(): number {
  return Number(gateWork - sharedRendering) / 1e9;
}

/** CPU seconds of the process while inside the gate's entry point (cdktf's shared rendering included). */
export function gateWorkCpuSeconds(): number {
  return gateWorkCpu / 1e6;
}

/** Seconds of cdktf's own rendering inside the gate (see {@link gateWorkSeconds}). */
export function sharedRenderingSeconds(): number {
  return Number(sharedRendering) / 1e9;
}

/** Times every call of `gate[method]`, when the gate has that method. */
function timeCalls(gate: { [method: string]: unknown }, method: string): void {
  const original = gate[method];
  if (typeof original !== 'function') return;
  gate[method] = function timed(this: unknown, ...args: unknown[]): unknown {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    insideGate = true;
    try {
      return original.apply(this, args);
    } finally {
      insideGate = false;
      gateWork += process.hrtime.bigint() - start;
      const used = process.cpuUsage(cpu);
      gateWorkCpu += used.user + used.system;
    }
  };
}

export function cdkGateAvailable(): boolean {
  return fs.existsSync(CDK_GATE_MODULE);
}

export function cdktfGateAvailable(): boolean {
  return fs.existsSync(CDKTF_GATE_MODULE);
}

/** Turns the CDK gate on for the app: its validation plugin judges every stack at synthesis. */
export function enableCdkGate(app: cdk.App, options: GateOptions): void {
  const gate = (require(CDK_GATE_MODULE) as CdkGateModule).ComplianceGate;
  if (!gate) throw new Error(`${CDK_GATE_MODULE}: no ComplianceGate export (fix: point enableCdkGate in bench/gates.ts at the gate's current API)`);
  timeCalls(gate.enable(app, { policyReference: BENCH_POLICY, dataFlowDocs: options.dataFlowDocs }), 'validate');
}

/** Turns the CDKTF gate on for the app: every stack is judged at its synthesis. */
export function enableCdktfGate(app: cdktf.App, options: GateOptions): void {
  const gate = (require(CDKTF_GATE_MODULE) as CdktfGateModule).CdktfGuardrail;
  if (!gate) throw new Error(`${CDKTF_GATE_MODULE}: no CdktfGuardrail export (fix: point enableCdktfGate in bench/gates.ts at the gate's current API)`);
  timeCalls(gate.enable(app, { policyReference: BENCH_POLICY, dataFlowDocs: options.dataFlowDocs }), 'judge');
  const stack = (require('cdktf') as typeof cdktf).TerraformStack.prototype as unknown as { toTerraform: (...args: unknown[]) => unknown };
  const render = stack.toTerraform;
  stack.toTerraform = function timedRendering(this: unknown, ...args: unknown[]): unknown {
    if (!insideGate) return render.apply(this, args);
    const start = process.hrtime.bigint();
    try {
      return render.apply(this, args);
    } finally {
      sharedRendering += process.hrtime.bigint() - start;
    }
  };
}

/** How many error and warning findings the engine reports. */
export interface FindingCount {
  readonly errors: number;
  readonly warnings: number;
}

/**
 * What a gate does, without a gate: load the synthesized output and evaluate
 * it. The engine's modules are loaded here, so that timing the function this
 * returns times the engine's work alone (loading the output and evaluating
 * it), not the import.
 */
export function loadEngine(): (outdir: string) => FindingCount {
  const { loadInput } = require('../lib/input/load') as typeof import('../lib/input/load');
  const { runGuardrail } = require('../lib/gate/run') as typeof import('../lib/gate/run');
  const { GuardrailPolicy } = require('../lib/policy/policy') as typeof import('../lib/policy/policy');
  const policy = GuardrailPolicy.preset(BENCH_POLICY);
  return (outdir) => {
    const { report } = runGuardrail(loadInput(outdir).graph, policy);
    return { errors: report.summary.errors, warnings: report.summary.warnings };
  };
}
