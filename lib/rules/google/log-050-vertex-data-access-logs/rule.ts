import { AuditLogRoute, VertexUse, dataAccessLogsKept, projectIdentity, vertexUseOf } from '../../../analysis/google';
import { describeLocation, judgeLocation } from '../../../analysis/locations';
import { TF_GOOGLE } from '../../../analysis/resource-types';
import type { Resource, ResourceGraph } from '../../../core/graph';
import { Unresolved, Value, block, describeValue, isPlainObject } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import type { GuardrailPolicy } from '../../../policy/policy';
import { COMPLIANT, RuleContext, ResourceRule, Violation } from '../../rule';
import type { Outcome } from '../../../core/findings';

/** The service whose Data Access logs record Vertex AI model calls, and the catch-all. */
const VERTEX_SERVICE = 'aiplatform.googleapis.com';
const ALL_SERVICES = 'allServices';
const REQUIRED_LOG_TYPES = ['DATA_READ', 'DATA_WRITE'] as const;
const AUDIT_CONFIG_TYPE = TF_GOOGLE.projectAuditConfig;

/** What the audit configurations of one project turn on for Vertex AI. */
interface ProjectAuditCoverage {
  /** Log types switched on for aiplatform.googleapis.com or allServices. */
  readonly logTypes: Set<string>;
  /** Members exempted from a required log type, by log type. */
  readonly exemptions: Map<string, string[]>;
  /** Audit configs whose service or log types are known only at plan time. */
  readonly unresolved: string[];
  readonly configs: string[];
}

/**
 * Every project where the configuration shows Vertex AI in use — Vertex AI
 * resources, code handed Vertex AI settings, grants of roles that call models —
 * turns on Data Access audit logs (DATA_READ and DATA_WRITE) for
 * aiplatform.googleapis.com or allServices.
 */
export const googleVertexDataAccessLogs: ResourceRule = {
  id: 'LCG-LOG-050',
  title: 'Projects that use Vertex AI record Data Access audit logs',
  category: 'logging',
  severity: 'error',
  rationale:
    'Vertex AI model calls (predict, generateContent) appear in Cloud Audit Logs only as Data Access logs, which are off by default: without DATA_READ and DATA_WRITE for aiplatform.googleapis.com there is no record of who called which model when. Most Gemini apps have no Vertex AI resource at all: code on Cloud Run or Cloud Functions is switched to Vertex AI by its environment and its service account is granted roles/aiplatform.user, so those count as use of Vertex AI in the project they call. Logs routed to a log bucket outside the jurisdiction are a transfer of their own; routed only to a store the configuration does not declare, how long they are kept cannot be shown.',
  remediation: `Add a ${AUDIT_CONFIG_TYPE} for the project with service "${VERTEX_SERVICE}" (or "${ALL_SERVICES}") and audit_log_config entries for ADMIN_READ, DATA_READ and DATA_WRITE, without exempted members.`,
  clauses: [CLAUSES.hipaaAuditControls, CLAUSES.soc2Monitoring, CLAUSES.aiActRecordKeeping, CLAUSES.gdprAccountability],
  resourceTypes: ['*'],
  formats: ['terraform'],
  check(resource, context) {
    const use = vertexUseOf(context, resource);
    if (!use) return undefined;
    const { project } = use;
    const identity = projectIdentity(resource, project.value);
    const fixFor = (name: string): string =>
      `add a ${AUDIT_CONFIG_TYPE} with project = ${name}, service = "${VERTEX_SERVICE}" and audit_log_config for DATA_READ and DATA_WRITE (and ADMIN_READ)`;
    const central = declaredProjectAuditLogs(context, project.value);
    const anyConfig = context.graph.ofType(AUDIT_CONFIG_TYPE, ...HIGHER_AUDIT_CONFIG_TYPES).length > 0;
    if (!identity) {
      if (central) return COMPLIANT;
      if (!anyConfig) {
        return [
          {
            message: `${describeUse(resource, use)}, but this configuration turns on Data Access audit logs nowhere: no ${AUDIT_CONFIG_TYPE}, organization or folder audit config.`,
            found: `no audit config in the configuration (and ${project.attribute} not set)`,
            expected: `DATA_READ and DATA_WRITE audit logs for ${VERTEX_SERVICE} or ${ALL_SERVICES} in the resource's project`,
            fix: `${fixFor('<the project>')}; or, when a landing zone turns them on, declare it in the policy: centralLogging: [{ project, provides: [data-access-audit-logs], evidence }]`,
            attribute: project.attribute,
          },
        ];
      }
      return [
        {
          message: `Cannot verify Data Access audit logging for ${resource.type} "${resource.id}": ${use.kind === 'code' ? 'no setting (GOOGLE_CLOUD_PROJECT), not the resource and not the google provider names the project it calls' : 'neither the resource nor the google provider names its project'}.`,
          found: `${project.attribute} = (not set)`,
          expected: `a literal project with a ${AUDIT_CONFIG_TYPE} for ${VERTEX_SERVICE}`,
          fix: 'set project on the resource (or on the google provider) and an audit config for that project',
          attribute: project.attribute,
          cannotVerify: true,
        },
      ];
    }
    const projectText = typeof project.value === 'string' ? `"${project.value}"` : describeValue(project.value);
    const coverage = mergedCoverage(auditCoverage(context).get(identity), typeof project.value === 'string' ? hierarchyCoverage(context, project.value) : undefined);
    if (central) return exemptionWarnings(coverage, projectText);
    if (!coverage) {
      const higher = context.graph.ofType(...HIGHER_AUDIT_CONFIG_TYPES);
      if (higher.length > 0) {
        return [
          {
            message: `Cannot verify Data Access audit logging for ${resource.type} "${resource.id}": ${higher.map((config) => config.id).join(', ')} turn${higher.length === 1 ? 's' : ''} audit logs on above the project, and this configuration does not show that project ${projectText} is under ${higher.length === 1 ? 'it' : 'them'}.`,
            found: `no ${AUDIT_CONFIG_TYPE} for project ${projectText}; ${higher.map((config) => `${config.id} (${config.type === TF_GOOGLE.organizationAuditConfig ? `org_id = ${describeValue(config.properties.org_id)}` : `folder = ${describeValue(config.properties.folder)}`})`).join(', ')}`,
            expected: `a ${TF_GOOGLE.project} for ${projectText} with the org_id or folder_id of such an audit config, or a project-level audit config`,
            fix: `declare the project (${TF_GOOGLE.project} with org_id or folder_id) in this configuration, or declare the landing zone's audit logging in the policy: centralLogging: [{ project: ${projectText}, provides: [data-access-audit-logs], evidence }]`,
            attribute: project.attribute,
            cannotVerify: true,
          },
        ];
      }
      if (typeof project.value !== 'string') {
        return [
          {
            message: `Cannot verify Data Access audit logging for ${resource.type} "${resource.id}": its project is known only at plan time and no ${AUDIT_CONFIG_TYPE} uses the same project expression.`,
            found: `${project.attribute} = ${projectText}`,
            expected: `a ${AUDIT_CONFIG_TYPE} for the same project with DATA_READ and DATA_WRITE on ${VERTEX_SERVICE} or ${ALL_SERVICES}`,
            fix: `use a literal project id, or give the audit config the same project expression: ${fixFor(projectText)}`,
            attribute: project.attribute,
            cannotVerify: true,
          },
        ];
      }
      return [
        {
          message: `Project ${projectText} ${projectUse(resource, use)} but records no Data Access audit logs for Vertex AI.`,
          found: `no ${AUDIT_CONFIG_TYPE} for ${VERTEX_SERVICE} or ${ALL_SERVICES} in project ${projectText}`,
          expected: `DATA_READ and DATA_WRITE audit logs for ${VERTEX_SERVICE} or ${ALL_SERVICES}`,
          fix: fixFor(projectText),
          attribute: project.attribute,
        },
      ];
    }
    const violations: Violation[] = [];
    const missing = REQUIRED_LOG_TYPES.filter((type) => !coverage.logTypes.has(type));
    if (missing.length > 0) {
      const verb = coverage.configs.length === 1 ? 'enables' : 'enable';
      const found = `${coverage.configs.join(', ')} ${verb} ${coverage.logTypes.size > 0 ? [...coverage.logTypes].sort().join(', ') : 'no log types'}`;
      violations.push(
        coverage.unresolved.length > 0
          ? {
              message: `Cannot verify Data Access audit logging for ${resource.type} "${resource.id}": an audit config of project ${projectText} is known only at plan time.`,
              found: `${found}; unresolved: ${coverage.unresolved.join('; ')}`,
              expected: `${missing.join(' and ')} for ${VERTEX_SERVICE} or ${ALL_SERVICES}`,
              fix: 'write service and log_type as literal values',
              cannotVerify: true,
            }
          : {
              message: `Project ${projectText} ${projectUse(resource, use)} but does not record ${missing.join(' and ')} audit logs for Vertex AI.`,
              found,
              expected: `DATA_READ and DATA_WRITE for ${VERTEX_SERVICE} or ${ALL_SERVICES}`,
              fix: `add audit_log_config entries for ${missing.join(' and ')} to ${coverage.configs[0]}`,
            },
      );
    }
    violations.push(...exemptionViolations(coverage, projectText));
    // Recorded, but kept where? Without a _Default bucket configuration or a sink, Data Access logs stay in the
    // _Default bucket for its default 30 days.
    const minimum = context.policy.minAuditLogRetentionDays;
    const kept = missing.length === 0 ? dataAccessLogsKept(context, project.value) : undefined;
    const judgesRetention = minimum !== undefined && minimum > DEFAULT_BUCKET_DAYS;
    if (kept && judgesRetention && kept.status === 'default') {
      violations.push({
        message: `Project ${projectText} records Data Access audit logs for Vertex AI, but keeps them in its _Default log bucket for the default ${DEFAULT_BUCKET_DAYS} days at most: the configuration neither sets the _Default bucket's retention nor routes the logs to a bucket of its own.`,
        found: `${kept.why} (project ${projectText})`,
        expected: `Data Access audit logs kept at least ${minimum} days`,
        fix: `add a google_logging_project_bucket_config with project = ${projectText}, bucket_id = "_Default", the bucket's location and retention_days = ${minimum}, with no exclusion of audit logs; or route the logs with an enabled google_logging_project_sink, whose filter selects them, to a bucket kept that long (VertexAiAuditLogging does both for you)`,
      });
    } else if (kept && judgesRetention && kept.status === 'unknown') {
      const elsewhere = kept.routes.length > 0;
      violations.push({
        message: elsewhere
          ? `Cannot verify how long project ${projectText} keeps the Data Access audit logs of Vertex AI: its sinks route them only to destinations this configuration does not declare, so their retention cannot be read.`
          : `Cannot verify where project ${projectText} keeps the Data Access audit logs of Vertex AI: a sink or exclusion that decides it is known only at plan time.`,
        found: kept.why,
        expected: `Data Access audit logs kept at least ${minimum} days`,
        fix: elsewhere
          ? `declare the destination in this configuration (a google_logging_project_bucket_config with retention_days, a google_storage_bucket with a lifecycle or retention policy, or a google_bigquery_dataset with its expiration) so that its retention is judged; or, when a landing zone keeps these logs, declare it in the policy: centralLogging: [{ project: ${projectText}, provides: [data-access-audit-logs], evidence }]`
          : 'write the sink\'s filter, destination and disabled, and the exclusion\'s filter, as literal values',
        cannotVerify: true,
      });
    }
    // Routed to a log bucket whose path names its location, outside the configuration: the path is all there is to judge.
    if (kept && context.policy.constrainsResidency) violations.push(...routeResidency(context.policy, kept.routes, projectText));
    return violations.length > 0 ? violations : COMPLIANT;
  },
};

/**
 * Sinks that route the Data Access audit logs to a log bucket of another configuration, whose path names a location
 * outside the jurisdiction (or one the catalog does not know). A store of this configuration is judged where it is
 * declared (LCG-RES-001).
 */
function routeResidency(policy: GuardrailPolicy, routes: readonly AuditLogRoute[], projectText: string): Violation[] {
  const violations: Violation[] = [];
  for (const { sink, target } of routes) {
    if (target.resource || target.location === undefined) continue;
    const destination = describeValue(sink.properties.destination);
    const verdict = judgeLocation(policy, 'google', target.location);
    if (verdict.status === 'denied') {
      violations.push({
        message: `Project ${projectText} routes the Data Access audit logs of Vertex AI through ${sink.type} "${sink.id}" to a log bucket in ${describeLocation(verdict.info)}, outside the jurisdiction.`,
        found: `${sink.id}.destination = ${destination}`,
        expected: `a log bucket in ${verdict.expected}`,
        fix: `route the logs to a log bucket in ${verdict.expected} (logging.googleapis.com/projects/<project>/locations/<location>/buckets/<bucket>), or filter the Data Access audit logs out of ${sink.id}`,
      });
    } else if (verdict.status === 'unverifiable') {
      violations.push({
        message: `Cannot verify where ${sink.type} "${sink.id}" keeps the Data Access audit logs of Vertex AI of project ${projectText}: ${verdict.reason}.`,
        found: `${sink.id}.destination = ${destination}`,
        expected: `a log bucket in ${verdict.expected}`,
        fix: 'route the logs to a log bucket whose location is a literal Cloud Logging location in the jurisdiction',
        cannotVerify: true,
      });
    }
  }
  return violations;
}

/** What a resource shows of Vertex AI use, as a clause about the resource. */
function describeUse(resource: Resource, use: VertexUse): string {
  const named = `${resource.type} "${resource.id}"`;
  switch (use.kind) {
    case 'resource':
      return `${named} is a Vertex AI resource`;
    case 'code':
      return `${named} calls Vertex AI (${use.sign.attribute} = ${describeValue(use.sign.value)})`;
    case 'grant':
      return `${named} grants ${describeValue(use.role)}, which calls Vertex AI models, to ${use.members.map((member) => describeValue(member)).join(', ')}`;
  }
}

/** What a resource shows of Vertex AI use, as a clause about its project. */
function projectUse(resource: Resource, use: VertexUse): string {
  const named = `${resource.type} "${resource.id}"`;
  switch (use.kind) {
    case 'resource':
      return `holds Vertex AI resource ${named}`;
    case 'code':
      return `receives the Vertex AI calls of ${named} (${use.sign.attribute} = ${describeValue(use.sign.value)})`;
    case 'grant':
      return `grants ${describeValue(use.role)} (which calls Vertex AI models) to ${use.members.map((member) => describeValue(member)).join(', ')} through ${named}`;
  }
}

/** Days the _Default log bucket keeps logs unless its configuration says otherwise. */
const DEFAULT_BUCKET_DAYS = 30;

/** The audit config types above a project: organization and folder. */
const HIGHER_AUDIT_CONFIG_TYPES = [TF_GOOGLE.organizationAuditConfig, TF_GOOGLE.folderAuditConfig];

function exemptionViolations(coverage: ProjectAuditCoverage | undefined, projectText: string): Violation[] {
  return [...(coverage?.exemptions ?? new Map<string, string[]>())].map(([logType, members]) => ({
    message: `Data Access audit logs of project ${projectText} exempt members from ${logType}: their Vertex AI calls go unrecorded.`,
    found: `exempted_members = ${JSON.stringify(members)}`,
    expected: `no exempted members on ${logType}`,
    fix: `remove exempted_members from the ${logType} audit_log_config`,
    severity: 'warning' as const,
  }));
}

function exemptionWarnings(coverage: ProjectAuditCoverage | undefined, projectText: string): Outcome {
  const violations = exemptionViolations(coverage, projectText);
  return violations.length > 0 ? violations : COMPLIANT;
}

/** The policy's declaration that a landing zone turns on Data Access audit logs for the project (or every project). */
function declaredProjectAuditLogs(context: RuleContext, project: Value | undefined): boolean {
  return context.policy.centralLogging.some((entry) => entry.project !== undefined && entry.provides.includes('data-access-audit-logs') && (entry.project === '*' || entry.project === project));
}

/**
 * What the organization and folder audit configs of the configuration turn
 * on for a project the configuration also declares (`google_project` with
 * `org_id` or `folder_id`): GCP applies them to every project below.
 */
function hierarchyCoverage(context: RuleContext, projectId: string): ProjectAuditCoverage | undefined {
  const declared = context.graph.ofType(TF_GOOGLE.project).find((candidate) => candidate.properties.project_id === projectId);
  if (!declared) return undefined;
  const parents = [
    typeof declared.properties.org_id === 'string' ? `org:${declared.properties.org_id.replace(/^organizations\//, '')}` : undefined,
    typeof declared.properties.folder_id === 'string' ? `folder:${declared.properties.folder_id.replace(/^folders\//, '')}` : undefined,
  ].filter((key): key is string => key !== undefined);
  const coverage = auditCoverage(context);
  return parents.reduce<ProjectAuditCoverage | undefined>((merged, key) => mergedCoverage(merged, coverage.get(key)), undefined);
}

function mergedCoverage(a: ProjectAuditCoverage | undefined, b: ProjectAuditCoverage | undefined): ProjectAuditCoverage | undefined {
  if (!a || !b) return a ?? b;
  const exemptions = new Map(a.exemptions);
  for (const [logType, members] of b.exemptions) exemptions.set(logType, [...(exemptions.get(logType) ?? []), ...members]);
  return { logTypes: new Set([...a.logTypes, ...b.logTypes]), exemptions, unresolved: [...a.unresolved, ...b.unresolved], configs: [...a.configs, ...b.configs] };
}

function auditCoverage(context: RuleContext): Map<string, ProjectAuditCoverage> {
  return context.memo('google-vertex-audit-coverage', () => computeCoverage(context.graph));
}

function computeCoverage(graph: ResourceGraph): Map<string, ProjectAuditCoverage> {
  const byProject = new Map<string, ProjectAuditCoverage>();
  for (const config of graph.ofType(AUDIT_CONFIG_TYPE, ...HIGHER_AUDIT_CONFIG_TYPES)) {
    const identity = auditConfigScope(config);
    if (!identity) continue;
    const service = config.properties.service;
    if (typeof service === 'string' && service !== VERTEX_SERVICE && service !== ALL_SERVICES) continue;
    let coverage = byProject.get(identity);
    if (!coverage) byProject.set(identity, (coverage = { logTypes: new Set(), exemptions: new Map(), unresolved: [], configs: [] }));
    coverage.configs.push(config.id);
    if (typeof service !== 'string') {
      coverage.unresolved.push(`${config.id}.service = ${describeValue(service)}`);
      continue;
    }
    for (const entry of logConfigs(config)) {
      const logType = entry.log_type;
      if (typeof logType !== 'string') {
        coverage.unresolved.push(`${config.id}.audit_log_config.log_type = ${describeValue(logType)}`);
        continue;
      }
      coverage.logTypes.add(logType);
      const exempted = entry.exempted_members;
      if ((REQUIRED_LOG_TYPES as readonly string[]).includes(logType) && Array.isArray(exempted) && exempted.length > 0) {
        coverage.exemptions.set(logType, [...(coverage.exemptions.get(logType) ?? []), ...exempted.map((member) => describeValue(member).replace(/^"|"$/g, ''))]);
      }
    }
  }
  return byProject;
}

/** Where an audit config applies: its project (as projectIdentity keys it), `org:<id>` or `folder:<id>`. */
function auditConfigScope(config: Resource): string | undefined {
  if (config.type === TF_GOOGLE.organizationAuditConfig) return typeof config.properties.org_id === 'string' ? `org:${config.properties.org_id.replace(/^organizations\//, '')}` : undefined;
  if (config.type === TF_GOOGLE.folderAuditConfig) return typeof config.properties.folder === 'string' ? `folder:${config.properties.folder.replace(/^folders\//, '')}` : undefined;
  return projectIdentity(config, config.properties.project);
}

function logConfigs(config: Resource): { [key: string]: Value }[] {
  const raw = config.properties.audit_log_config;
  if (raw instanceof Unresolved) return [{ log_type: raw }];
  if (Array.isArray(raw)) return raw.map((entry) => (isPlainObject(entry) ? entry : { log_type: entry }));
  const single = block(raw);
  return single ? [single] : [];
}
