/**
 * The AWS CDK integration: a policy-validation plugin that judges the
 * synthesized CloudFormation templates with the engine, so that anything in
 * the app (our constructs, someone else's, raw L1 resources, escape-hatch
 * overrides) that breaks the policy makes `cdk synth` fail.
 *
 * aws-cdk-lib hands validation plugins the written templates and each stack's
 * environment after synthesis; an error-severity violation then fails the
 * `cdk` CLI, a directly run app, and `app.synth()` under jest. Policy lookup,
 * acknowledgements and the files written are the gate core's
 * (`lib/gate`), shared with the CDKTF gate.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, PolicyViolatingResource } from 'aws-cdk-lib';
import { Aspects, Stage } from 'aws-cdk-lib';
import type { IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CFN } from '../lib/analysis/resource-types';
import { InputError } from '../lib/core/errors';
import { printable } from '../lib/core/printable';
import { DATA_FLOW_FILES } from '../lib/docs';
import { Finding, Report, SUPPRESSION_EXPIRED, SUPPRESSION_MALFORMED } from '../lib/engine/evaluate';
import { ACKNOWLEDGEMENT_PREFIX, RecordedAcknowledgement, acknowledgementReason, readAcknowledgements, withFindings, withoutTwinWarnings } from '../lib/gate/acknowledgements';
import { GATE_REPORT_FILE, GateOptions, writeGateOutputs } from '../lib/gate/options';
import { POLICY_CONTEXT_KEY, resolvePolicy } from '../lib/gate/policy-lookup';
import { runGuardrail } from '../lib/gate/run';
import { packageVersion } from '../lib/gate/version';
import { GuardrailPolicy, isIsoDate, validateSuppression } from '../lib/policy/policy';
import { groupByRootCause } from '../lib/reports/text';
import { readTemplates } from './cdk-templates';

/** The plugin name; acknowledgement ids are `llm-guardrail::<rule id>`. */
export const GATE_PLUGIN_NAME = 'llm-guardrail';

/** File the gate writes into the cloud assembly directory at every synthesis. */
export { GATE_REPORT_FILE };

/** The CDK's context key and environment variable that choose how a failed validation ends the app. */
const APP_MODE_CONTEXT = '@aws-cdk/core:appMode';
const APP_MODE_ENV = 'CDK_APP_MODE';

/** Options of {@link ComplianceGate.enable}: the options every gate of this package takes. */
export type ComplianceGateProps = GateOptions;

/** An acknowledged finding: one rule, under one construct, with a reason and an expiry date. */
export interface GateAcknowledgement {
  /** The rule acknowledged, e.g. `LCG-NET-010`. Whole categories cannot be acknowledged. */
  readonly ruleId: string;
  /** Why the finding is acceptable (at least 10 characters); shown in every report. */
  readonly reason: string;
  /** Last day (YYYY-MM-DD) the acknowledgement holds; after it the gate fails synthesis. */
  readonly expires: string;
}

const gates = new WeakMap<IConstruct, ComplianceGate>();

/**
 * The metadata key under which the CDK records acknowledged rules
 * (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`); written directly on
 * aws-cdk-lib releases without `Validations`, where the gate reads it alone.
 */
const ACKNOWLEDGED_RULES_METADATA_KEY = 'aws:cdk:acknowledged-rules';

/**
 * aws-cdk-lib's `Validations`, on the releases that have it. Older releases
 * with validation plugins (2.71 and later) register plugins on the stage's
 * `policyValidationBeta1` list instead, and hand plugins template paths only.
 */
function validations(): typeof cdk.Validations | undefined {
  return (cdk as { Validations?: typeof cdk.Validations }).Validations;
}

/** Registers a plugin on a stage, whichever way the installed aws-cdk-lib takes it. */
function addPlugin(scope: Stage, plugin: IPolicyValidationPlugin): void {
  const api = validations();
  if (api) {
    api.of(scope).addPlugins(plugin);
    return;
  }
  const list = (scope as unknown as { policyValidationBeta1?: IPolicyValidationPlugin[] }).policyValidationBeta1;
  if (!Array.isArray(list)) throw new Error('ComplianceGate: this aws-cdk-lib has no policy validation plugins (fix: use aws-cdk-lib 2.71.0 or later)');
  list.push(plugin);
}

/**
 * The synth-time compliance gate for AWS CDK apps.
 *
 * @example
 * const app = new App();
 * ComplianceGate.enable(app, { policyReference: 'eu' });
 */
export class ComplianceGate implements IPolicyValidationPlugin {
  /**
   * Turns the gate on for an app (or a stage): every synthesis judges all its
   * stacks against the policy and fails on error-level findings.
   */
  static enable(scope: Stage, props: ComplianceGateProps = {}): ComplianceGate {
    if (gates.has(scope)) throw new Error(`ComplianceGate: already enabled on "${scope.node.path || 'the app'}"; call ComplianceGate.enable once per app`);
    const policy = resolvePolicy({
      policy: props.policy,
      policyReference: props.policyReference,
      contextValue: scope.node.tryGetContext(POLICY_CONTEXT_KEY),
      where: 'ComplianceGate',
      fix: `pass { policyReference: 'eu' } (or { policy }) to ComplianceGate.enable, or set "${POLICY_CONTEXT_KEY}" in cdk.json context`,
    });
    const gate = new ComplianceGate(policy, props);
    gates.set(scope, gate);
    gate.root = scope;
    addPlugin(scope, gate);
    // A report left by an earlier synthesis would count as a plugin changing the assembly (confirmValidationPluginsDoNotMutate).
    fs.rmSync(path.join(scope.outdir, gate.reportFileName), { force: true });
    if (gate.options.dataFlowDocs !== false) for (const file of DATA_FLOW_FILES) fs.rmSync(path.join(scope.outdir, file), { force: true });
    preferCleanExit(scope);
    return gate;
  }

  /** The gate enabled on the stage or app that contains `scope`, if any. */
  static of(scope: IConstruct): ComplianceGate | undefined {
    for (const ancestor of [...scope.node.scopes].reverse()) {
      const gate = gates.get(ancestor);
      if (gate) return gate;
    }
    return undefined;
  }

  /**
   * The policy that applies to `scope`: the enabled gate's, else the one named
   * in context `llm-guardrail:policy`; undefined when neither exists.
   */
  static policyOf(scope: IConstruct): GuardrailPolicy | undefined {
    const gate = ComplianceGate.of(scope);
    if (gate) return gate.policy;
    // A gate added as an aspect is enabled when synthesis runs; constructs created before read its policy now.
    for (const ancestor of [...scope.node.scopes].reverse()) {
      const aspect = Aspects.of(ancestor).all.find((candidate): candidate is ComplianceGateAspect => candidate instanceof ComplianceGateAspect);
      if (aspect) return aspect.policyFor(ancestor);
    }
    const reference = scope.node.tryGetContext(POLICY_CONTEXT_KEY);
    return typeof reference === 'string' ? GuardrailPolicy.load(reference) : undefined;
  }

  /**
   * Acknowledges one rule's findings on `scope` and everything under it,
   * through the CDK's own acknowledgement mechanism (`Validations.of(scope).acknowledge`),
   * with the expiry date written into the reason. The gate honours a CDK
   * acknowledgement of an `llm-guardrail::` rule only when its reason carries
   * `(expires YYYY-MM-DD)`; after that day synthesis fails again.
   */
  static acknowledge(scope: IConstruct, acknowledgement: GateAcknowledgement): void {
    const where = `ComplianceGate.acknowledge at "${scope.node.path}"`;
    const spec = validateSuppression({ ...acknowledgement, resource: scope.node.path || '/' }, where, (message, fix) => {
      throw new InputError(message, fix);
    });
    const id = `${ACKNOWLEDGEMENT_PREFIX}${spec.ruleId}`;
    const reason = acknowledgementReason(spec.reason, spec.expires);
    const api = validations();
    if (api) api.of(scope).acknowledge({ id, reason });
    else scope.node.addMetadata(ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  }

  readonly name = GATE_PLUGIN_NAME;
  readonly version = packageVersion();
  /** The policy every synthesis is judged against. */
  readonly policy: GuardrailPolicy;
  /** The report of the most recent synthesis, for tests and tools. */
  lastReport?: Report;
  /** File name of the findings report in the cloud assembly directory. */
  readonly reportFileName: string;
  private readonly options: GateOptions;
  /** The stage the gate was enabled on: the app construct on releases that do not hand it to plugins. */
  private root?: Stage;

  private constructor(policy: GuardrailPolicy, options: GateOptions) {
    this.policy = policy;
    if (options.today !== undefined && !isIsoDate(options.today)) throw new InputError(`ComplianceGate: today must be a date YYYY-MM-DD, found ${JSON.stringify(options.today)}`, 'e.g. today: "2026-01-31"');
    this.options = options;
    this.reportFileName = options.reportFileName ?? GATE_REPORT_FILE;
  }

  /** Called by aws-cdk-lib after the templates are written. */
  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = (context as Partial<IPolicyValidationContext>).appConstruct ?? this.root!;
    // One walk of the construct tree serves both the stacks and the acknowledgements.
    const constructs = root.node.findAll();
    const { graph, templateOfStack } = readTemplates(context, constructs);

    const acknowledgements = readAcknowledgements(recordedAcknowledgements(constructs), 'ComplianceGate.acknowledge');
    const run = runGuardrail(graph, this.policy, {
      rules: this.options.rules,
      today: this.options.today,
      extraSuppressions: acknowledgements.valid.flatMap((entry) => entry.specs),
    });
    const findings = [...acknowledgements.invalid, ...withoutTwinWarnings(run.report.findings, acknowledgements.valid, run.report)];
    this.lastReport = withFindings(run.report, findings);
    if (Stage.isStage(root)) {
      const report = this.lastReport;
      const write = (): void => writeGateOutputs(root.outdir, run.context, report, this.options, 'ComplianceGate');
      // Releases before Validations fail synthesis when a plugin changes the cloud assembly: write when the app exits.
      if (validations()) write();
      else deferUntilExit(this, write);
    }

    // One violation per root cause, naming every resource it is found on: the CDK report stays readable for fifty functions.
    const violations: PolicyViolation[] = groupByRootCause(findings).map((group) => toViolation(group, templateOfStack));
    return {
      success: violations.every((violation) => violation.severity !== 'error' && violation.severity !== 'fatal'),
      violations,
      pluginVersion: this.version,
      metadata: {
        policy: `${this.policy.name} (${this.policy.source})`,
        acknowledged: String(run.report.suppressed.length),
        report: this.reportFileName,
      },
    };
  }
}

const pendingWrites = new Map<ComplianceGate, () => void>();

/** Runs the latest write of each gate when the process exits (files only: the exit handler must be synchronous). */
function deferUntilExit(gate: ComplianceGate, write: () => void): void {
  if (pendingWrites.size === 0) {
    process.once('exit', () => {
      for (const pending of pendingWrites.values()) {
        try {
          pending();
        } catch (error) {
          process.stderr.write(`llm-guardrail: ${printable((error as Error).message)}\n`);
        }
      }
      pendingWrites.clear();
    });
  }
  pendingWrites.set(gate, write);
}

/**
 * The gate as an aspect, for apps that compose their checks the way cdk-nag
 * taught: `Aspects.of(app).add(new ComplianceGateAspect({ policyReference: 'eu' }))`.
 * Same options and same result as {@link ComplianceGate.enable}: when
 * synthesis visits the app (or the stage holding the construct it was added
 * to), the aspect enables the gate there — the plugin, the report, the
 * data-flow documentation, acknowledgements and exit code are the gate's.
 * Constructs created before synthesis read its policy through
 * {@link ComplianceGate.policyOf}, as they read an enabled gate's.
 */
export class ComplianceGateAspect implements IAspect {
  private readonly props: ComplianceGateProps;
  private readonly enabled = new WeakMap<Stage, ComplianceGate>();
  private readonly policies = new WeakMap<IConstruct, GuardrailPolicy>();

  constructor(props: ComplianceGateProps = {}) {
    this.props = props;
  }

  visit(node: IConstruct): void {
    const stage = Stage.isStage(node) ? node : Stage.of(node);
    if (!stage || this.enabled.has(stage)) return;
    // Aspects run before the validation plugins: the gate registered now judges this synthesis.
    this.enabled.set(stage, ComplianceGate.enable(stage, { ...this.props, policy: this.props.policy ?? this.policyFor(node), policyReference: undefined }));
    preferCleanExitDuringSynthesis(stage);
  }

  /** The gate this aspect enabled on the stage (or app) holding `scope`, once synthesis has run. */
  gateOf(scope: IConstruct): ComplianceGate | undefined {
    const stage = Stage.isStage(scope) ? scope : Stage.of(scope);
    return stage ? this.enabled.get(stage) : undefined;
  }

  /** The policy this aspect applies under `scope`: resolved as ComplianceGate.enable resolves it, once per scope. */
  policyFor(scope: IConstruct): GuardrailPolicy {
    let policy = this.policies.get(scope);
    if (!policy) {
      policy = resolvePolicy({
        policy: this.props.policy,
        policyReference: this.props.policyReference,
        contextValue: scope.node.tryGetContext(POLICY_CONTEXT_KEY),
        where: 'ComplianceGateAspect',
        fix: `pass { policyReference: 'eu' } (or { policy }) to new ComplianceGateAspect(...), or set "${POLICY_CONTEXT_KEY}" in cdk.json context`,
      });
      this.policies.set(scope, policy);
    }
    return policy;
  }
}

/** Apps whose `synth` already runs in the CDK's process mode under the cdk CLI. */
const cleanExitApps = new WeakSet<Stage>();

/**
 * Under the cdk CLI (which sets CDK_OUTDIR) the CDK ends an app whose
 * validation failed with a stack trace, unless it knows the app runs as its
 * own process (`CDK_APP_MODE=process`, or the context key
 * `@aws-cdk/core:appMode`): then it prints the report to stderr and sets exit
 * code 1. The gate asks for that mode only for the length of the root app's
 * `synth()` and restores the environment after it, so nothing else in the
 * process sees the change; a mode the user chose (environment or context) is
 * kept. Apps not run by the cdk CLI, and tests, keep the default, where
 * `app.synth()` throws.
 */
function preferCleanExit(scope: Stage): void {
  const root = scope.node.root;
  if (!Stage.isStage(root) || cleanExitApps.has(root)) return;
  cleanExitApps.add(root);
  const synth = root.synth.bind(root);
  root.synth = (options) => {
    if (!wantsProcessMode(root)) return synth(options);
    process.env[APP_MODE_ENV] = 'process';
    try {
      return synth(options);
    } finally {
      delete process.env[APP_MODE_ENV];
    }
  };
}

/** Under the cdk CLI, with no app mode chosen by the user. */
function wantsProcessMode(root: Stage): boolean {
  return process.env.CDK_OUTDIR !== undefined && process.env[APP_MODE_ENV] === undefined && root.node.tryGetContext(APP_MODE_CONTEXT) === undefined;
}

/**
 * For a gate enabled by an aspect, inside a `synth()` already running: the
 * same mode for the rest of this synthesis (the CDK reads it after the
 * validation plugins), restored as soon as the synchronous `synth()` returns.
 */
function preferCleanExitDuringSynthesis(scope: Stage): void {
  const root = scope.node.root;
  if (!Stage.isStage(root) || !wantsProcessMode(root)) return;
  process.env[APP_MODE_ENV] = 'process';
  queueMicrotask(() => {
    if (process.env[APP_MODE_ENV] === 'process') delete process.env[APP_MODE_ENV];
  });
}

/** The CDK acknowledgements of the tree, as the gate core reads them. */
function recordedAcknowledgements(constructs: readonly IConstruct[]): RecordedAcknowledgement[] {
  const recorded: RecordedAcknowledgement[] = [];
  for (const construct of constructs) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) continue;
      for (const [id, reason] of Object.entries(entry.data as { [id: string]: unknown })) recorded.push({ constructPath: construct.node.path, id, reason });
    }
  }
  return recorded;
}

function toViolation(group: readonly Finding[], templateOfStack: ReadonlyMap<string, string>): PolicyViolation {
  const [finding] = group;
  const where = finding.resource.path ?? `${finding.resource.stack}/${finding.resource.id}`;
  const others = group.length > 1 ? ` (the same on ${group.length - 1} more resource(s), listed below)` : '';
  return {
    ruleName: finding.ruleId,
    // The CDK prints the fix on its own line; keep it out of the description.
    description: printable(`${where}: ${finding.message.endsWith(` Fix: ${finding.fix}`) ? finding.message.slice(0, -` Fix: ${finding.fix}`.length) : finding.message}${others}`),
    fix: printable(finding.fix),
    // Findings about acknowledgements themselves must not be waivable by another acknowledgement.
    severity: (finding.ruleId === SUPPRESSION_EXPIRED || finding.ruleId === SUPPRESSION_MALFORMED) && finding.severity === 'error' ? 'fatal' : finding.severity,
    ruleMetadata: {
      title: finding.title,
      category: finding.category,
      found: printable(finding.found),
      expected: printable(finding.expected),
      ...(finding.frameworks.length > 0 ? { frameworks: finding.frameworks.join('; ') } : {}),
    },
    violatingResources: group.map((member) => violatingResource(member, templateOfStack)),
  };
}

function violatingResource(finding: Finding, templateOfStack: ReadonlyMap<string, string>): PolicyViolatingResource {
  const { resource } = finding;
  const locations = finding.attribute ? [finding.attribute] : [];
  // Releases before Validations format every violating resource by template path and logical id: give them a template.
  const legacy = validations() ? {} : { templatePath: templateOfStack.get(resource.stack) ?? [...templateOfStack.values()][0] ?? '', resourceLogicalId: resource.id };
  if (resource.type === 'acknowledgement') return { constructPath: resource.id.replace(/\/\*$/, ''), locations, ...legacy } as PolicyViolatingResource;
  if (resource.type === CFN.stack && resource.id === resource.stack) return { constructPath: resource.path ?? resource.stack, locations, ...legacy } as PolicyViolatingResource;
  const templatePath = templateOfStack.get(resource.stack);
  return { resourceLogicalId: resource.id, templatePath, locations: locations.map((location) => `Properties.${location}`) };
}
