/**
 * llm-compliance-guardrail — the engine entry point: policies, catalogs, the
 * facts layer, the rule engine over synthesized documents, and report
 * renderers. It loads neither aws-cdk-lib nor cdktf; the CDK and CDKTF
 * integrations and the constructs have entry points of their own.
 */
export { GuardrailPolicy, DATA_CLASSIFICATIONS } from './policy/policy';
export type { PolicySpec, RegionAllowList, SuppressionSpec, DataClassification } from './policy/policy';
export { PRESETS } from './policy/presets';
export { FRAMEWORKS, FRAMEWORK_REQUIREMENTS } from './policy/frameworks';
export type { Framework, FrameworkClause } from './policy/frameworks';
export { InputError } from './core/errors';
export { ResourceGraph } from './core/graph';
export type { Resource, StackInfo, Cloud, DocumentFormat } from './core/graph';
export { Reference, Unresolved } from './core/values';
export type { Category, Severity, Violation } from './core/findings';
export { loadInput } from './input/load';
export type { InputKind, LoadedInput } from './input/load';
export { resourcesFromTemplate } from './input/cloudformation';
export { resourcesFromTerraform } from './input/terraform';
export { createAnalysisContext } from './analysis/context';
export type { AnalysisContext } from './analysis/context';
export { evaluate } from './engine/evaluate';
export type { Finding, Report, CheckResult, EvaluateOptions, SuppressedFinding, SuppressionStatus } from './engine/evaluate';
export { ALL_RULES, findRule } from './rules';
export type { Rule, RuleMetadata } from './rules/rule';
export { checkPath, runGuardrail } from './gate/run';
export type { Run, RunOptions } from './gate/run';
export { policyFromProjectContext, POLICY_CONTEXT_KEY } from './gate/policy-lookup';
export { renderReport, REPORT_FORMATS } from './reports';
export type { ReportFormat, RenderOptions } from './reports';
export { LOG_ROLE_TAG } from './analysis/log-wiring';
export * as catalogs from './catalogs';
