/**
 * The compliance gate for CDK for Terraform: one call makes `app.synth()`
 * (and so `cdktf synth`) fail when the synthesized Terraform breaks the
 * policy, and writes the findings next to each stack's output.
 *
 * It is a thin adapter: it hands the stack's fully resolved Terraform JSON to
 * the same engine the CLI runs on a `cdktf.out`, so escape hatches
 * (`addOverride` on a resource or on the stack), raw provider resources and
 * third-party constructs are judged exactly like ours.
 */
import * as path from 'path';
import { AnnotationMetadataEntryType, Annotations, App, Aspects, IAspect, TerraformStack } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct, IConstruct } from 'constructs';
import { InputError } from '../lib/core/errors';
import { ResourceGraph, StackInfo } from '../lib/core/graph';
import { printable } from '../lib/core/printable';
import { Finding, Report } from '../lib/engine/evaluate';
import { ACKNOWLEDGEMENT_PREFIX, RecordedAcknowledgement, acknowledgementReason, readAcknowledgements, withFindings, withoutTwinWarnings } from '../lib/gate/acknowledgements';
import { GATE_REPORT_FILE, GateOptions, writeGateOutputs } from '../lib/gate/options';
import { POLICY_CONTEXT_KEY, resolvePolicy } from '../lib/gate/policy-lookup';
import { runGuardrail } from '../lib/gate/run';
import { checkDocument } from '../lib/input/json-file';
import { ProviderDeclarationSpec, TF_PROVIDERS_COMMENT, validateProviderDeclaration } from '../lib/input/provider-declarations';
import { resourcesFromTerraform } from '../lib/input/terraform';
import { GuardrailPolicy, isIsoDate, validateSuppression } from '../lib/policy/policy';

/** File written next to each stack's `cdk.tf.json`. */
export const CDKTF_REPORT_FILE = GATE_REPORT_FILE;

/** Construct metadata type under which {@link CdktfGuardrail.acknowledge} records acknowledgements. */
export const CDKTF_ACKNOWLEDGEMENT_METADATA = 'llm-guardrail:acknowledged';

/** Id of the construct the gate adds to each stack it judges. */
export const CDKTF_GATE_ID = 'LlmGuardrailGate';

/** Options of {@link CdktfGuardrail.enable}: the options every gate of this package takes. */
export type CdktfGuardrailProps = GateOptions;

/** An acknowledged finding: one rule, under one construct, with a reason and an expiry date. */
export interface CdktfAcknowledgement {
  /** The rule acknowledged, e.g. `LCG-NET-030`. Whole categories cannot be acknowledged. */
  readonly ruleId: string;
  /** Why the finding is acceptable (at least 10 characters); shown in every report. */
  readonly reason: string;
  /** Last day (YYYY-MM-DD) the acknowledgement holds; after it the gate fails synthesis. */
  readonly expires: string;
}

/**
 * The CDKTF synth gate. Enable it with {@link CdktfGuardrail.enable} on an
 * `App` (every stack) or on one `TerraformStack`.
 *
 * Each stack is judged at its own synthesis, after every aspect of the stack
 * (mutating ones included) has run: the gate registers a synthesis hook on a
 * child construct, which cdktf calls after aspects and before it collects
 * annotations. Error findings become error annotations on the offending
 * resource's construct, so `App.synth()` throws and the `cdktf synth` CLI
 * exits 1; warnings become warning annotations. Each stack is judged as a
 * graph of its own (later stacks have not run their aspects yet): references
 * between stacks go through remote state and are unresolved anyway, but a rule
 * that relates resources by attribute (a project id, say) sees only the stack,
 * where the CLI on a cdktf.out sees every stack at once.
 */
export class CdktfGuardrail implements IAspect {
  /**
   * Enables the gate on an App or a stack. Resolves the policy now, so a
   * missing or broken policy fails before any synthesis.
   */
  static enable(scope: IConstruct, props: CdktfGuardrailProps = {}): CdktfGuardrail {
    const isApp = App.isApp(scope);
    if (!isApp && !TerraformStack.isStack(scope)) {
      throw new Error(`${describeScope(scope)}: the LLM guardrail is enabled on an App or a TerraformStack, not on a construct inside a stack (fix: pass the App or the stack)`);
    }
    const covered = isApp ? [scope, ...scope.node.findAll().filter(TerraformStack.isStack)] : [scope];
    const existing = covered.find((construct) => Aspects.of(construct).all.some((aspect) => aspect instanceof CdktfGuardrail || aspect instanceof CdktfGuardrailAspect));
    if (existing) {
      throw new Error(`${describeScope(existing)}: the LLM guardrail is already enabled for it (directly or through its App) (fix: call CdktfGuardrail.enable once, on the App or on each stack)`);
    }
    const gate = new CdktfGuardrail(resolveGuardrailPolicy(scope, props), props);
    Aspects.of(scope).add(gate);
    if (isApp) gate.coverStacksOf(scope);
    return gate;
  }

  /**
   * The policy that applies to `scope`: the gate's enabled on it or an
   * ancestor, else `explicit`, else the `llm-guardrail:policy` context, else
   * ./cdktf.json. Throws one clear line when there is none: the CDKTF
   * constructs check their settings against it when they are created.
   */
  static policyOf(scope: IConstruct, explicit?: GuardrailPolicy): GuardrailPolicy {
    if (explicit) return explicit;
    for (const ancestor of [...scope.node.scopes].reverse()) {
      const gate = Aspects.of(ancestor).all.find((aspect): aspect is CdktfGuardrail => aspect instanceof CdktfGuardrail);
      if (gate) return gate.policy;
      const aspect = Aspects.of(ancestor).all.find((candidate): candidate is CdktfGuardrailAspect => candidate instanceof CdktfGuardrailAspect);
      if (aspect) return aspect.policyFor(ancestor);
    }
    return resolveGuardrailPolicy(scope, {});
  }

  /**
   * Acknowledges one rule's findings on `scope` and everything under it, until
   * the expiry date; after it the gate fails synthesis again. Recorded as
   * construct metadata, read the same way as the CDK gate reads its own.
   */
  static acknowledge(scope: IConstruct, acknowledgement: CdktfAcknowledgement): void {
    const where = `CdktfGuardrail.acknowledge at "${scope.node.path}"`;
    const spec = validateSuppression({ ...acknowledgement, resource: scope.node.path || '/' }, where, (message, fix) => {
      throw new InputError(message, fix);
    });
    scope.node.addMetadata(CDKTF_ACKNOWLEDGEMENT_METADATA, { [`${ACKNOWLEDGEMENT_PREFIX}${spec.ruleId}`]: acknowledgementReason(spec.reason, spec.expires) });
  }

  /** The policy every stack under the scope is judged against. */
  readonly policy: GuardrailPolicy;
  private readonly props: CdktfGuardrailProps;
  private readonly reports = new Map<string, Report>();
  /** Annotations already added, per construct: aspects and synthesis hooks run again on every `synth()`. */
  private readonly annotated = new WeakMap<IConstruct, Set<string>>();

  /** @internal The gate a {@link CdktfGuardrailAspect} delegates each stack to. */
  static _forAspect(policy: GuardrailPolicy, props: CdktfGuardrailProps): CdktfGuardrail {
    return new CdktfGuardrail(policy, props);
  }

  private constructor(policy: GuardrailPolicy, props: CdktfGuardrailProps) {
    if (props.today !== undefined && !isIsoDate(props.today)) throw new Error(`CdktfGuardrail: today must be a date YYYY-MM-DD, found ${JSON.stringify(props.today)} (fix: e.g. today: "2026-01-31")`);
    this.policy = policy;
    this.props = props;
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const present = node.node.tryFindChild(CDKTF_GATE_ID);
    if (present) {
      if (!(present instanceof GateHook) || present.gate !== this) {
        Annotations.of(node).addError(`The LLM guardrail is enabled twice for stack "${node.node.id}" (on the App and on the stack). Fix: enable it once, on the App or on each stack.`);
      }
      return;
    }
    const hook = new GateHook(node, this);
    addCustomSynthesis(hook, {
      onSynthesize: (session) => {
        const manifest = session.manifest.forStack(node);
        this.judge(node, path.join(session.outdir, manifest.workingDirectory), path.join(session.outdir, manifest.synthesizedStackPath));
      },
    });
  }

  /**
   * cdktf 0.21 invokes only the aspects of each stack and its children, never
   * those of the App: so the gate adds itself to every stack of the App, now
   * and again when `synth()` starts (for stacks created after `enable`).
   */
  private coverStacksOf(app: App): void {
    const cover = (): void => {
      for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
        if (!Aspects.of(stack).all.includes(this)) Aspects.of(stack).add(this);
      }
    };
    cover();
    const synth = app.synth.bind(app);
    app.synth = (): void => {
      cover();
      synth();
    };
  }

  /** The report of the last synthesis of a stack (by stack id), if it has been judged. */
  reportFor(stackId: string): Report | undefined {
    return this.reports.get(stackId);
  }

  private judge(stack: TerraformStack, directory: string, file: string): void {
    const info: StackInfo = {
      name: stack.node.id,
      format: 'terraform',
      file,
      path: stack.node.path,
    };
    // The stack's own rendering: resource-level and stack-level overrides included.
    const document = stack.toTerraform();
    // As deep as the files the CLI reads may be, and no deeper: an override cannot walk the readers into a stack overflow.
    checkDocument(document, file);
    const graph = new ResourceGraph([info], resourcesFromTerraform(document, info));
    const constructs = stack.node.findAll();
    const acknowledgements = readAcknowledgements(recordedAcknowledgements(constructs), 'CdktfGuardrail.acknowledge');
    const run = runGuardrail(graph, this.policy, { rules: this.props.rules, today: this.props.today, extraSuppressions: acknowledgements.valid.flatMap((entry) => entry.specs) });
    const report = withFindings(run.report, [...acknowledgements.invalid, ...withoutTwinWarnings(run.report.findings, acknowledgements.valid, run.report)]);
    this.reports.set(stack.node.id, report);
    writeGateOutputs(directory, run.context, report, this.props, `CdktfGuardrail (stack "${stack.node.id}")`);

    const byPath = new Map<string, IConstruct>();
    if (report.findings.length > 0) for (const child of constructs) byPath.set(child.node.path, child);
    for (const finding of report.findings) {
      const target = (finding.resource.path && byPath.get(finding.resource.path)) || stack;
      this.annotate(target, annotationText(finding, target === stack), finding.severity);
    }
    shareDocumentWithWriter(stack, document, constructs);
  }

  private annotate(target: IConstruct, text: string, severity: Finding['severity']): void {
    let seen = this.annotated.get(target);
    if (!seen) this.annotated.set(target, (seen = new Set()));
    if (seen.has(text)) return;
    seen.add(text);
    if (severity === 'error') Annotations.of(target).addError(text);
    else Annotations.of(target).addWarning(text);
  }
}

/** Aspects created and not yet run on any stack, reported when the process exits. */
const unvisitedAspects = new Set<CdktfGuardrailAspect>();

/**
 * The gate as an aspect, for apps that compose their checks the way cdk-nag
 * taught: `Aspects.of(stack).add(new CdktfGuardrailAspect({ policyReference: 'eu' }))`
 * on each stack. Same options and same result as {@link CdktfGuardrail.enable}
 * on that stack: report file, data-flow documentation, annotations,
 * acknowledgements. CDK for Terraform runs the aspects of stacks only, never
 * those added to the App: an aspect that never ran on any stack by the time
 * the process exits is reported on stderr with exit code 1, never a silent
 * pass (`CdktfGuardrail.enable(app)` covers every stack of an App).
 */
export class CdktfGuardrailAspect implements IAspect {
  private readonly props: CdktfGuardrailProps;
  private readonly gates = new Map<string, CdktfGuardrail>();
  private readonly policies = new WeakMap<IConstruct, GuardrailPolicy>();

  constructor(props: CdktfGuardrailProps = {}) {
    if (props.today !== undefined && !isIsoDate(props.today)) throw new Error(`CdktfGuardrailAspect: today must be a date YYYY-MM-DD, found ${JSON.stringify(props.today)} (fix: e.g. today: "2026-01-31")`);
    this.props = props;
    reportIfNeverRun(this);
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    unvisitedAspects.delete(this);
    let gate = this.gates.get(node.node.path);
    if (!gate) this.gates.set(node.node.path, (gate = CdktfGuardrail._forAspect(this.policyFor(node), this.props)));
    gate.visit(node);
  }

  /** The report of the last synthesis of a stack (by stack id), if this aspect has judged it. */
  reportFor(stackId: string): Report | undefined {
    for (const gate of this.gates.values()) {
      const report = gate.reportFor(stackId);
      if (report) return report;
    }
    return undefined;
  }

  /** The policy this aspect applies under `scope`: resolved as CdktfGuardrail.enable resolves it, once per scope. */
  policyFor(scope: IConstruct): GuardrailPolicy {
    let policy = this.policies.get(scope);
    if (!policy) this.policies.set(scope, (policy = resolveGuardrailPolicy(scope, this.props)));
    return policy;
  }
}

let neverRunCheckInstalled = false;

function reportIfNeverRun(aspect: CdktfGuardrailAspect): void {
  unvisitedAspects.add(aspect);
  if (!neverRunCheckInstalled) {
    neverRunCheckInstalled = true;
    process.on('exit', () => {
      if (unvisitedAspects.size === 0) return;
      process.stderr.write(
        `llm-guardrail: ${unvisitedAspects.size === 1 ? 'a CdktfGuardrailAspect never ran' : `${unvisitedAspects.size} CdktfGuardrailAspects never ran`}, so nothing was judged: CDK for Terraform runs the aspects of stacks only, never those added to the App (fix: Aspects.of(stack).add(new CdktfGuardrailAspect(...)) for each stack, or CdktfGuardrail.enable(app))\n`,
      );
      if (!process.exitCode) process.exitCode = 1;
    });
  }
}

/** Declarations written by {@link ExternalLlmProvider}, per stack (one override holds them all). */
const providerDeclarations = new WeakMap<TerraformStack, ProviderDeclarationSpec[]>();

export interface ExternalLlmProviderProps extends Omit<ProviderDeclarationSpec, 'name'> {
  /** Name of the declaration in findings and reports. @default the construct id */
  readonly name?: string;
}

/**
 * Declares an external LLM provider the app calls (OpenAI, Anthropic, Cohere,
 * Mistral, Together AI, Hugging Face, self-hosted open weights): the
 * declaration goes into the stack's top-level `"//"` comment
 * (`llm-guardrail.providers`), deploys nothing, and is judged by the gate and
 * by `llm-guardrail check` on the cdktf.out like any resource.
 */
export class ExternalLlmProvider extends Construct {
  /** The declaration as written into the configuration. */
  readonly declaration: ProviderDeclarationSpec;
  /** The endpoint the declaration names (`https://host`), for the application settings of the code that calls it. */
  readonly baseUrl?: string;

  constructor(scope: Construct, id: string, props: ExternalLlmProviderProps) {
    super(scope, id);
    const where = `ExternalLlmProvider at "${this.node.path}"`;
    try {
      this.declaration = validateProviderDeclaration({ ...props, name: props.name ?? id }, where);
    } catch (error) {
      // cdktf reports construction errors by message: keep the fix in it.
      if (error instanceof InputError) throw new Error(error.line);
      throw error;
    }
    this.baseUrl = this.declaration.host ? `https://${this.declaration.host}` : undefined;
    const stack = TerraformStack.of(this);
    const declared = providerDeclarations.get(stack) ?? [];
    declared.push(this.declaration);
    providerDeclarations.set(stack, declared);
    stack.addOverride(`//.${TF_PROVIDERS_COMMENT}.providers`, [...declared]);
  }
}

/**
 * Synthesizes the App; when the gate (or anything else) fails synthesis,
 * prints the message without a stack trace and exits with code 1, as the
 * `cdktf synth` CLI does. For entry points run directly (`npx tsx main.ts`).
 */
export function synthesizeOrExit(app: App): void {
  try {
    app.synth();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}

/**
 * "[LCG-RES-030] <message> Found: … Expected: … Fix: …". cdktf prefixes the
 * construct path; findings that have none (stack-level ones, resources without
 * metadata) name their resource instead.
 */
function annotationText(finding: Finding, onStack: boolean): string {
  return printable(onStack && finding.resource.id !== finding.resource.stack ? `[${finding.ruleId}] ${finding.resource.id}: ${finding.message}` : `[${finding.ruleId}] ${finding.message}`);
}

/**
 * The policy of a gate: `policy`, else `policyReference`, else the
 * `llm-guardrail:policy` context, else ./cdktf.json. Throws one clear line
 * (the scope's path first) when there is none or it is unusable.
 */
function resolveGuardrailPolicy(scope: IConstruct, props: Pick<GateOptions, 'policy' | 'policyReference'>): GuardrailPolicy {
  try {
    return resolvePolicy({
      policy: props.policy,
      policyReference: props.policyReference,
      contextValue: scope.node.tryGetContext(POLICY_CONTEXT_KEY),
      where: describeScope(scope),
      fix: `pass { policyReference: 'eu' } or { policy }, or set "${POLICY_CONTEXT_KEY}" in the cdktf.json context`,
    });
  } catch (error) {
    // cdktf reports construction errors by message: keep the fix in it.
    if (error instanceof InputError) throw new Error(error.message.startsWith(`${describeScope(scope)}: `) ? error.line : `${describeScope(scope)}: ${error.line}`);
    throw error;
  }
}

/** The acknowledgements recorded on the constructs of a stack. */
function recordedAcknowledgements(constructs: readonly IConstruct[]): RecordedAcknowledgement[] {
  const recorded: RecordedAcknowledgement[] = [];
  for (const construct of constructs) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== CDKTF_ACKNOWLEDGEMENT_METADATA || typeof entry.data !== 'object' || entry.data === null) continue;
      for (const [id, reason] of Object.entries(entry.data as { [id: string]: unknown })) recorded.push({ constructPath: construct.node.path, id, reason });
    }
  }
  return recorded;
}

function describeScope(scope: IConstruct): string {
  return scope.node.path === '' ? 'App' : scope.node.path;
}

/**
 * Resolving a stack is most of the cost of synthesis, and cdktf resolves it
 * again to write cdk.tf.json right after the annotations are collected. When
 * that write will happen (no error annotation stops it, JSON output), the
 * document just judged is handed to it once, so the gate does not double the
 * cost of synthesis. The hand-over is removed on first use, and in any case
 * when the synchronous `synth()` returns or throws.
 */
function shareDocumentWithWriter(stack: TerraformStack, document: { [key: string]: unknown }, constructs: readonly IConstruct[]): void {
  const hclOutput = process.env.SYNTH_HCL_OUTPUT === 'true' || process.env.SYNTH_HCL_OUTPUT === '1';
  const continuesOnErrors = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
  if (hclOutput) return;
  // The stack's constructs as the gate listed them; their metadata is read now, after the gate's own annotations.
  if (!continuesOnErrors && constructs.some((node) => node.node.metadata.some((entry) => entry.type === AnnotationMetadataEntryType.ERROR))) return;
  const instance = stack as unknown as { toTerraform: () => unknown };
  const restore = (): void => {
    if (Object.prototype.hasOwnProperty.call(instance, 'toTerraform')) delete (instance as { toTerraform?: unknown }).toTerraform;
  };
  instance.toTerraform = () => {
    restore();
    return document;
  };
  queueMicrotask(restore);
}

/** The child construct that carries the synthesis hook (a construct can hold only one). */
class GateHook extends Construct {
  constructor(
    scope: TerraformStack,
    readonly gate: CdktfGuardrail,
  ) {
    super(scope, CDKTF_GATE_ID);
  }
}
