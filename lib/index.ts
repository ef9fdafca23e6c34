/**
 * llm-compliance-guardrail — the engine entry point: policies, catalogs, the
 * rule engine over synthesized documents, and report renderers. It loads
 * neither aws-cdk-lib nor cdktf; the CDK and CDKTF integrations and the
 * constructs have entry points of their own.
 */
export { GuardrailPolicy, DATA_CLASSIFICATIONS } from './policy/policy';
export type { PolicySpec, RegionAllowList, SuppressionSpec, DataClassification } from './policy/policy';
export { PRESETS } from './policy/presets';
export { FRAMEWORKS, FRAMEWORK_REQUIREMENTS } from './policy/frameworks';
export type { Framework, FrameworkClause } from './policy/frameworks';
export { InputError } from './engine/errors';
export { ResourceGraph } from './engine/graph';
export type { Resource, StackInfo, Cloud, DocumentFormat } from './engine/graph';
export { Reference, Unresolved } from './engine/values';
export { loadInput } from './engine/load';
export type { InputKind, LoadedInput } from './engine/load';
export { resourcesFromTemplate } from './engine/cloudformation';
export { resourcesFromTerraform } from './engine/terraform';
export { evaluate } from './engine/evaluate';
export type { Finding, Report, CheckResult, EvaluateOptions, SuppressedFinding, SuppressionStatus } from './engine/evaluate';
export { ALL_RULES, findRule } from './rules';
export type { Rule, RuleMetadata, Violation, Category, Severity } from './rules/rule';
export { checkPath, renderReport, policyFromProjectContext, POLICY_CONTEXT_KEY, REPORT_FORMATS } from './check';
export type { ReportFormat } from './check';
export { LOG_ROLE_TAG } from './engine/log-roles';
export * as catalogs from './catalogs';
