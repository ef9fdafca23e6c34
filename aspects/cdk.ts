/**
 * The AWS CDK integration: a policy-validation plugin that judges the
 * synthesized CloudFormation templates with the engine, so that anything in
 * the app (our constructs, someone else's, raw L1 resources, escape-hatch
 * overrides) that breaks the policy makes `cdk synth` fail.
 *
 * aws-cdk-lib hands validation plugins the written templates and each stack's
 * environment after synthesis; an error-severity violation then fails the
 * `cdk` CLI, a directly run app, and `app.synth()` under jest.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, PolicyViolatingResource, Stack, Stage, Token, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { POLICY_CONTEXT_KEY, packageVersion, policyFromProjectContext } from '../lib/gate/check';
import { resourcesFromTemplate } from '../lib/input/cloudformation';
import { InputError } from '../lib/core/errors';
import { Finding, Report, SUPPRESSION_EXPIRED, SUPPRESSION_UNUSED, evaluate } from '../lib/engine/evaluate';
import { Resource, ResourceGraph, StackInfo } from '../lib/core/graph';
import { LazyLookup, artifactLogicalIdPaths, parseEnvironment, readJson } from '../lib/input/load';
import { JsonObject, isJsonObject } from '../lib/core/values';
import { GuardrailPolicy, SuppressionSpec, isIsoDate, validateSuppression } from '../lib/policy/policy';
import { renderJson } from '../lib/reports/json';
import { DATA_FLOW_FILES, writeDataFlowDocumentation } from '../lib/docs';

/** The plugin name; acknowledgement ids are `llm-guardrail::<rule id>`. */
export const GATE_PLUGIN_NAME = 'llm-guardrail';

/** File the gate writes into the cloud assembly directory at every synthesis. */
export const GATE_REPORT_FILE = 'llm-guardrail-report.json';

/** The CDK's context key and environment variable that choose how a failed validation ends the app. */
const APP_MODE_CONTEXT = '@aws-cdk/core:appMode';
const APP_MODE_ENV = 'CDK_APP_MODE';

/** Options of {@link ComplianceGate.enable}. */
export interface ComplianceGateProps {
  /**
   * The policy, built in code (`GuardrailPolicy.preset('eu')`, `GuardrailPolicy.fromSpec({...})`).
   * Give this or `policyReference`, not both.
   *
   * @default - `policyReference`, else the context value `llm-guardrail:policy` (cdk.json or `-c`)
   */
  readonly policy?: GuardrailPolicy;
  /**
   * A preset name (`eu`, `us-hipaa`, `soc2`) or a path to a JSON/YAML policy
   * file, relative to the current directory.
   *
   * @default - the context value `llm-guardrail:policy` (cdk.json or `-c`)
   */
  readonly policyReference?: string;
  /**
   * The day acknowledgement expiry is judged against, as YYYY-MM-DD.
   *
   * @default - the current UTC date
   */
  readonly today?: string;
  /**
   * Name of the JSON findings report written into the cloud assembly directory.
   *
   * @default "llm-guardrail-report.json"
   */
  readonly reportFileName?: string;
  /**
   * Whether to write the data-flow documentation (data-flow.md, .json, .html)
   * into the cloud assembly directory at every synthesis.
   *
   * @default true
   */
  readonly dataFlowDocs?: boolean;
  /**
   * Whether the documentation written at synthesis includes the self-contained
   * HTML page (about 3.6 MB, Mermaid inlined). `llm-guardrail docs` always writes it.
   *
   * @default false
   */
  readonly dataFlowHtml?: boolean;
}

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
    const gate = new ComplianceGate(resolvePolicy(scope, props), props);
    gates.set(scope, gate);
    Validations.of(scope).addPlugins(gate);
    // A report left by an earlier synthesis would count as a plugin changing the assembly (confirmValidationPluginsDoNotMutate).
    fs.rmSync(path.join(scope.outdir, gate.reportFileName), { force: true });
    if (gate.dataFlowDocs) for (const file of DATA_FLOW_FILES) fs.rmSync(path.join(scope.outdir, file), { force: true });
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
    Validations.of(scope).acknowledge({ id: `${GATE_PLUGIN_NAME}::${spec.ruleId}`, reason: `${spec.reason} (expires ${spec.expires})` });
  }

  readonly name = GATE_PLUGIN_NAME;
  readonly version = packageVersion();
  /** The policy every synthesis is judged against. */
  readonly policy: GuardrailPolicy;
  /** The report of the most recent synthesis, for tests and tools. */
  lastReport?: Report;
  private readonly today?: string;
  /** File name of the findings report in the cloud assembly directory. */
  readonly reportFileName: string;
  /** Whether the data-flow documentation is written next to the report. */
  readonly dataFlowDocs: boolean;
  /** Whether that documentation includes the HTML page. */
  readonly dataFlowHtml: boolean;

  private constructor(policy: GuardrailPolicy, props: ComplianceGateProps) {
    this.policy = policy;
    if (props.today !== undefined && !isIsoDate(props.today)) throw new InputError(`ComplianceGate: today must be a date YYYY-MM-DD, found ${JSON.stringify(props.today)}`, 'e.g. today: "2026-01-31"');
    this.today = props.today;
    this.reportFileName = props.reportFileName ?? GATE_REPORT_FILE;
    this.dataFlowDocs = props.dataFlowDocs ?? true;
    this.dataFlowHtml = props.dataFlowHtml ?? false;
  }

  /** Called by aws-cdk-lib after the templates are written. */
  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = context.appConstruct;
    // One walk of the construct tree serves both the stacks and the acknowledgements.
    const constructs = root.node.findAll();
    const { graph, templateOfStack } = readTemplates(context, constructs);
    const acknowledgements = collectAcknowledgements(constructs);
    const report = evaluate(graph, this.policy, {
      today: this.today,
      extraSuppressions: acknowledgements.valid.flatMap((entry) => entry.specs),
    });
    const findings = [...acknowledgements.invalid, ...withoutTwinWarnings(report.findings, acknowledgements.valid, report)];
    this.lastReport = {
      ...report,
      findings,
      summary: { ...report.summary, errors: findings.filter((finding) => finding.severity === 'error').length, warnings: findings.filter((finding) => finding.severity === 'warning').length },
    };
    writeReport(root, this.reportFileName, this.lastReport);
    if (this.dataFlowDocs && Stage.isStage(root)) writeDataFlowDocumentation(root.outdir, graph, this.policy, this.lastReport, { html: this.dataFlowHtml });

    const violations: PolicyViolation[] = findings.map((finding) => toViolation(finding, templateOfStack));
    return {
      success: violations.every((violation) => violation.severity !== 'error' && violation.severity !== 'fatal'),
      violations,
      pluginVersion: this.version,
      metadata: {
        policy: `${this.policy.name} (${this.policy.source})`,
        acknowledged: String(report.suppressed.length),
        report: this.reportFileName,
      },
    };
  }
}

function resolvePolicy(scope: Stage, props: ComplianceGateProps): GuardrailPolicy {
  if (props.policy && props.policyReference !== undefined) {
    throw new InputError('ComplianceGate: both policy and policyReference are set', 'pass one of them');
  }
  if (props.policy) return props.policy;
  if (props.policyReference !== undefined) return GuardrailPolicy.load(props.policyReference);
  const reference = scope.node.tryGetContext(POLICY_CONTEXT_KEY);
  if (reference !== undefined) {
    if (typeof reference !== 'string') throw new InputError(`context "${POLICY_CONTEXT_KEY}" must be a preset name or a file path`, 'e.g. "eu" or "policy/eu.yaml"');
    return GuardrailPolicy.load(reference);
  }
  // An app run directly (without the cdk CLI) does not see cdk.json: read it ourselves.
  const fromProject = policyFromProjectContext(process.cwd());
  if (fromProject) return fromProject;
  throw new InputError(
    'ComplianceGate: no policy given',
    `pass { policyReference: 'eu' } (or { policy }) to ComplianceGate.enable, or set "${POLICY_CONTEXT_KEY}" in cdk.json context`,
  );
}

/**
 * The CDK ends a directly run app or a CLI-run app with a stack trace after a
 * failed validation unless it knows it runs as its own process. Under the cdk
 * CLI (which sets CDK_OUTDIR) it does: the report then goes to stderr and the
 * exit code is 1. Tests keep the default, where `app.synth()` throws.
 */
function preferCleanExit(scope: Stage): void {
  if (process.env.CDK_OUTDIR === undefined || process.env[APP_MODE_ENV] !== undefined || scope.node.tryGetContext(APP_MODE_CONTEXT) !== undefined) return;
  process.env[APP_MODE_ENV] = 'process';
}

/** Reads every written template (and nested-stack template) into one graph. */
function readTemplates(context: IPolicyValidationContext, constructs: readonly IConstruct[]): { graph: ResourceGraph; templateOfStack: Map<string, string> } {
  const stacksByPath = new Map<string, Stack>();
  for (const construct of constructs) {
    if (Stack.isStack(construct)) stacksByPath.set(construct.node.path, construct);
  }
  const nestedPaths = [...stacksByPath.values()].filter((stack) => stack.nested).map((stack) => `${stack.node.path}/`);
  const manifests = new Map<string, JsonObject | undefined>();
  const stacks: StackInfo[] = [];
  const resources: Resource[] = [];
  const templateOfStack = new Map<string, string>();
  const add = (stack: Stack | undefined, templatePath: string, environment: Pick<StackInfo, 'account' | 'region'>, constructPath: string): void => {
    const info: StackInfo = {
      name: uniqueName(stack, constructPath),
      format: 'cloudformation',
      file: templatePath,
      ...environment,
      path: constructPath,
    };
    stacks.push(info);
    templateOfStack.set(info.name, templatePath);
    resources.push(...resourcesFromTemplate(readJson(templatePath), info, constructPaths(stack, templatePath, manifests, nestedPaths)));
  };
  // The same names the CLI gives them (`llm-guardrail check cdk.out`), unless two stacks share one.
  const usedNames = new Set<string>();
  const uniqueName = (stack: Stack | undefined, constructPath: string): string => {
    const candidate = stack && !stack.nested && !Token.isUnresolved(stack.stackName) ? stack.stackName : constructPath;
    const name = usedNames.has(candidate) ? constructPath : candidate;
    usedNames.add(name);
    return name;
  };
  for (const entry of context.stackTemplates) {
    const stack = stacksByPath.get(entry.stackConstructPath);
    const environment = parseEnvironment(`aws://${entry.accountId ?? 'unknown-account'}/${entry.region ?? 'unknown-region'}`);
    add(stack, entry.templatePath, environment, entry.stackConstructPath);
    // Nested stacks are deployed with their parent's environment; their templates sit next to the parent's.
    for (const nested of stacksByPath.values()) {
      if (!nested.nested || rootStackOf(nested) !== stack) continue;
      add(nested, path.join(path.dirname(entry.templatePath), nested.templateFile), environment, nested.node.path);
    }
  }
  return { graph: new ResourceGraph(stacks, resources), templateOfStack };
}

function rootStackOf(stack: Stack): Stack {
  let current = stack;
  while (current.nestedStackParent) current = current.nestedStackParent;
  return current;
}

/**
 * Logical id → construct path for a stack's own resources, for templates
 * written without path metadata (an app run without the CLI). Read on first
 * lookup only (with path metadata the engine never asks): from the
 * `aws:cdk:logicalId` entries the cloud assembly keeps for the stack, else by
 * resolving the logical id of every CloudFormation element of the stack.
 */
function constructPaths(stack: Stack | undefined, templatePath: string, manifests: Map<string, JsonObject | undefined>, nestedPaths: readonly string[]): LazyLookup | undefined {
  if (!stack) return undefined;
  return new LazyLookup(() => {
    if (!stack.nested) {
      const directory = path.dirname(templatePath);
      const artifact = stackArtifact(directory, path.basename(templatePath), manifests);
      const recorded = artifact ? artifactLogicalIdPaths(directory, artifact, (constructPath) => nestedPaths.some((nested) => constructPath.startsWith(nested))) : undefined;
      if (recorded && recorded.size > 0) return recorded;
    }
    const resolved = new Map<string, string>();
    for (const construct of stack.node.findAll()) {
      if (!CfnElement.isCfnElement(construct) || construct.stack !== stack) continue;
      const logicalId = stack.resolve(construct.logicalId);
      if (typeof logicalId === 'string') resolved.set(logicalId, construct.node.path);
    }
    return resolved;
  });
}

/** The manifest entry of the stack artifact whose template is `templateFile`, from the assembly in `directory`. */
function stackArtifact(directory: string, templateFile: string, manifests: Map<string, JsonObject | undefined>): JsonObject | undefined {
  if (!manifests.has(directory)) {
    const file = path.join(directory, 'manifest.json');
    const manifest = fs.existsSync(file) ? readJson(file) : undefined;
    manifests.set(directory, isJsonObject(manifest) ? manifest : undefined);
  }
  const artifacts = manifests.get(directory)?.artifacts;
  if (!isJsonObject(artifacts)) return undefined;
  return Object.values(artifacts).find(
    (artifact): artifact is JsonObject => isJsonObject(artifact) && artifact.type === 'aws:cloudformation:stack' && isJsonObject(artifact.properties) && artifact.properties.templateFile === templateFile,
  );
}

interface CollectedAcknowledgement {
  /** Where the CDK acknowledgement was recorded. */
  readonly constructPath: string;
  /** The same acknowledgement as engine suppressions: for the construct itself and for everything under it. */
  readonly specs: readonly SuppressionSpec[];
}

/**
 * Reads the CDK acknowledgements of `llm-guardrail::` rules from the tree.
 * Ones without an expiry date, or with a malformed rule id or reason, become
 * error findings (reported as fatal, which no acknowledgement can waive).
 */
function collectAcknowledgements(constructs: readonly IConstruct[]): { valid: CollectedAcknowledgement[]; invalid: Finding[] } {
  const valid: CollectedAcknowledgement[] = [];
  const invalid: Finding[] = [];
  const prefix = `${GATE_PLUGIN_NAME}::`;
  const fail = (message: string, fix: string): never => {
    throw new InputError(message, fix);
  };
  for (const construct of constructs) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) continue;
      for (const [id, reason] of Object.entries(entry.data as { [id: string]: unknown })) {
        if (!id.startsWith(prefix)) continue;
        const constructPath = construct.node.path;
        const text = typeof reason === 'string' ? reason : '';
        const expires = /\(?\bexpires:?\s+(\d{4}-\d{2}-\d{2})\)?/.exec(text);
        try {
          if (!expires) fail(`acknowledgement of ${id} at "${constructPath}" has no expiry date`, `use ComplianceGate.acknowledge(scope, { ruleId, reason, expires: 'YYYY-MM-DD' }) or end the reason with "(expires YYYY-MM-DD)"`);
          const base = { ruleId: id.slice(prefix.length), reason: text.replace(expires![0], '').trim(), expires: expires![1] };
          const where = `acknowledgement at "${constructPath}"`;
          valid.push({
            constructPath,
            specs: [validateSuppression({ ...base, resource: constructPath }, where, fail), validateSuppression({ ...base, resource: `${constructPath}/*` }, where, fail)],
          });
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          const fix = error.fix ?? 'correct the acknowledgement';
          invalid.push({
            ruleId: SUPPRESSION_EXPIRED,
            title: 'Acknowledgement without a valid expiry',
            severity: 'error',
            category: 'provider',
            resource: { id: constructPath, type: 'acknowledgement', path: constructPath, stack: '', file: '' },
            message: `${error.message}: an acknowledgement without a valid expiry cannot be honoured. Found: ${JSON.stringify({ id, reason: text })}. Expected: a rule id, a reason and an expiry date. Fix: ${fix}`,
            found: JSON.stringify({ id, reason: text }),
            expected: 'a rule id, a reason and an expiry date',
            fix,
            frameworks: [],
          });
        }
      }
    }
  }
  return { valid, invalid };
}

/**
 * Each CDK acknowledgement becomes two engine suppressions (the construct and
 * its subtree); at most one of them matches, so the other's "matches no
 * finding" warning is dropped when its twin matched.
 */
function withoutTwinWarnings(findings: readonly Finding[], acknowledgements: readonly CollectedAcknowledgement[], report: Report): Finding[] {
  const matched = new Set(report.suppressions.filter((status) => status.matched > 0).map((status) => `${status.ruleId}\u0000${status.resource}`));
  const twinMatched = new Set<string>();
  for (const { specs } of acknowledgements) {
    if (specs.some((spec) => matched.has(`${spec.ruleId}\u0000${spec.resource}`))) for (const spec of specs) twinMatched.add(`${spec.ruleId}\u0000${spec.resource}`);
  }
  return findings.filter((finding) => {
    if (finding.ruleId !== SUPPRESSION_UNUSED) return true;
    const ruleId = /Acknowledgement of (\S+) for /.exec(finding.message)?.[1];
    return !twinMatched.has(`${ruleId}\u0000${finding.resource.id}`);
  });
}

function toViolation(finding: Finding, templateOfStack: ReadonlyMap<string, string>): PolicyViolation {
  const where = finding.resource.path ?? `${finding.resource.stack}/${finding.resource.id}`;
  return {
    ruleName: finding.ruleId,
    // The CDK prints the fix on its own line; keep it out of the description.
    description: `${where}: ${finding.message.endsWith(` Fix: ${finding.fix}`) ? finding.message.slice(0, -` Fix: ${finding.fix}`.length) : finding.message}`,
    fix: finding.fix,
    // Findings about acknowledgements themselves must not be waivable by another acknowledgement.
    severity: finding.ruleId === SUPPRESSION_EXPIRED && finding.severity === 'error' ? 'fatal' : finding.severity,
    ruleMetadata: {
      title: finding.title,
      category: finding.category,
      found: finding.found,
      expected: finding.expected,
      ...(finding.frameworks.length > 0 ? { frameworks: finding.frameworks.join('; ') } : {}),
    },
    violatingResources: [violatingResource(finding, templateOfStack)],
  };
}

function violatingResource(finding: Finding, templateOfStack: ReadonlyMap<string, string>): PolicyViolatingResource {
  const { resource } = finding;
  const locations = finding.attribute ? [finding.attribute] : [];
  if (resource.type === 'acknowledgement') return { constructPath: resource.id.replace(/\/\*$/, ''), locations };
  if (resource.type === 'AWS::CloudFormation::Stack' && resource.id === resource.stack) {
    return { constructPath: resource.path ?? resource.stack, locations };
  }
  const templatePath = templateOfStack.get(resource.stack);
  return { resourceLogicalId: resource.id, templatePath, locations: locations.map((location) => `Properties.${location}`) };
}

function writeReport(root: IConstruct, fileName: string, report: Report): void {
  if (!Stage.isStage(root)) return;
  try {
    fs.writeFileSync(path.join(root.outdir, fileName), renderJson(report));
  } catch (error) {
    throw new InputError(`ComplianceGate: cannot write ${path.join(root.outdir, fileName)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'check that the cloud assembly directory is writable');
  }
}
