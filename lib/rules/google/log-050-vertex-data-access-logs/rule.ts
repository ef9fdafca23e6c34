import { projectIdentity, projectOf } from '../../../analysis/google';
import { TF_GOOGLE, TF_PREFIX } from '../../../analysis/resource-types';
import type { Resource, ResourceGraph } from '../../../core/graph';
import { Unresolved, Value, block, describeValue, isPlainObject } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, RuleContext, ResourceRule, Violation } from '../../rule';

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
 * Every project holding Vertex AI resources turns on Data Access audit logs
 * (DATA_READ and DATA_WRITE) for aiplatform.googleapis.com or allServices.
 */
export const googleVertexDataAccessLogs: ResourceRule = {
  id: 'LCG-LOG-050',
  title: 'Projects with Vertex AI resources record Data Access audit logs',
  category: 'logging',
  severity: 'error',
  rationale:
    'Vertex AI model calls (predict, generateContent) appear in Cloud Audit Logs only as Data Access logs, which are off by default: without DATA_READ and DATA_WRITE for aiplatform.googleapis.com there is no record of who called which model when.',
  remediation: `Add a ${AUDIT_CONFIG_TYPE} for the project with service "${VERTEX_SERVICE}" (or "${ALL_SERVICES}") and audit_log_config entries for ADMIN_READ, DATA_READ and DATA_WRITE, without exempted members.`,
  clauses: [CLAUSES.hipaaAuditControls, CLAUSES.soc2Monitoring, CLAUSES.aiActRecordKeeping, CLAUSES.gdprAccountability],
  resourceTypes: ['*'],
  formats: ['terraform'],
  check(resource, context) {
    if (!resource.type.startsWith(TF_PREFIX.vertex)) return undefined;
    const project = projectOf(resource);
    const identity = projectIdentity(resource, project.value);
    const fixFor = (name: string): string =>
      `add a ${AUDIT_CONFIG_TYPE} with project = ${name}, service = "${VERTEX_SERVICE}" and audit_log_config for DATA_READ and DATA_WRITE (and ADMIN_READ)`;
    if (!identity) {
      return [
        {
          message: `Cannot verify Data Access audit logging for ${resource.type} "${resource.id}": neither the resource nor the google provider names its project.`,
          found: `${project.attribute} = (not set)`,
          expected: `a literal project with a ${AUDIT_CONFIG_TYPE} for ${VERTEX_SERVICE}`,
          fix: 'set project on the resource (or on the google provider) and an audit config for that project',
          attribute: project.attribute,
          cannotVerify: true,
        },
      ];
    }
    const coverage = auditCoverage(context).get(identity);
    const projectText = typeof project.value === 'string' ? `"${project.value}"` : describeValue(project.value);
    if (!coverage) {
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
          message: `Project ${projectText} holds Vertex AI resource ${resource.type} "${resource.id}" but records no Data Access audit logs for Vertex AI.`,
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
              message: `Project ${projectText} holds Vertex AI resource ${resource.type} "${resource.id}" but does not record ${missing.join(' and ')} audit logs for Vertex AI.`,
              found,
              expected: `DATA_READ and DATA_WRITE for ${VERTEX_SERVICE} or ${ALL_SERVICES}`,
              fix: `add audit_log_config entries for ${missing.join(' and ')} to ${coverage.configs[0]}`,
            },
      );
    }
    for (const [logType, members] of coverage.exemptions) {
      violations.push({
        message: `Data Access audit logs of project ${projectText} exempt members from ${logType}: their Vertex AI calls go unrecorded.`,
        found: `exempted_members = ${JSON.stringify(members)}`,
        expected: `no exempted members on ${logType}`,
        fix: `remove exempted_members from the ${logType} audit_log_config`,
        severity: 'warning',
      });
    }
    return violations.length > 0 ? violations : COMPLIANT;
  },
};

function auditCoverage(context: RuleContext): Map<string, ProjectAuditCoverage> {
  return context.memo('google-vertex-audit-coverage', () => computeCoverage(context.graph));
}

function computeCoverage(graph: ResourceGraph): Map<string, ProjectAuditCoverage> {
  const byProject = new Map<string, ProjectAuditCoverage>();
  for (const config of graph.ofType(AUDIT_CONFIG_TYPE)) {
    const identity = projectIdentity(config, config.properties.project);
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

function logConfigs(config: Resource): { [key: string]: Value }[] {
  const raw = config.properties.audit_log_config;
  if (raw instanceof Unresolved) return [{ log_type: raw }];
  if (Array.isArray(raw)) return raw.map((entry) => (isPlainObject(entry) ? entry : { log_type: entry }));
  const single = block(raw);
  return single ? [single] : [];
}
