/**
 * Where a model is chosen outside IAM: the model, profile and region settings
 * of Bedrock resources (an agent's foundation model, a knowledge base's
 * embedding model, a data source's parsing model, flow and prompt nodes, a
 * guardrail's cross-Region profile) and the model ids and regions handed to
 * code (environment variables of functions, containers and agent runtimes,
 * state-machine definitions), and the direct integrations of managed services
 * (an API Gateway method calling bedrock-runtime, an AppSync resolver on a
 * Bedrock runtime data source). The residency rules judge these choices, the
 * logging rules take the regions they invoke in, and the data-flow
 * documentation draws them.
 */
import { bedrockService, inferenceGeographyPrefixes } from '../catalogs';
import type { Resource } from '../core/graph';
import { Reference, Unresolved, Value, asList, block, hasOwn, isPlainObject, walkKeys } from '../core/values';
import { parseArn } from './arn';
import { AnalysisContext, sparseFact, sparseFactTable } from './context';
import { placementOf } from './locations';
import { CFN_BEDROCK_PREFIX } from './resource-types';

/** Types whose properties choose a model or profile (the Bedrock resources), and types that hand model settings to code. */
export const MODEL_CHOOSING_TYPES = {
  cloudformation: [
    'AWS::Bedrock::Agent',
    'AWS::Bedrock::KnowledgeBase',
    'AWS::Bedrock::DataSource',
    'AWS::Bedrock::Flow',
    'AWS::Bedrock::FlowVersion',
    'AWS::Bedrock::Prompt',
    'AWS::Bedrock::PromptVersion',
    'AWS::Bedrock::Guardrail',
    'AWS::Bedrock::IntelligentPromptRouter',
  ],
  terraform: [
    'aws_bedrockagent_agent',
    'aws_bedrockagent_knowledge_base',
    'aws_bedrockagent_data_source',
    'aws_bedrockagent_flow',
    'aws_bedrockagent_prompt',
    'aws_bedrock_guardrail',
    'aws_bedrock_inference_profile',
  ],
} as const;

/** Types that run code with environment variables or definitions that may name a model or a region. */
export const CODE_TYPES = {
  lambdaFunction: 'AWS::Lambda::Function',
  taskDefinition: 'AWS::ECS::TaskDefinition',
  stateMachine: 'AWS::StepFunctions::StateMachine',
  agentRuntime: 'AWS::BedrockAgentCore::Runtime',
  tfLambdaFunction: 'aws_lambda_function',
  tfTaskDefinition: 'aws_ecs_task_definition',
  tfStateMachine: 'aws_sfn_state_machine',
  tfAgentRuntime: 'aws_bedrockagentcore_agent_runtime',
  /** An API Gateway REST method whose AWS integration calls Bedrock's runtime directly (its Integration.Uri). */
  apiGatewayMethod: 'AWS::ApiGateway::Method',
  tfApiGatewayIntegration: 'aws_api_gateway_integration',
  /** AppSync resolvers and pipeline functions on an AMAZON_BEDROCK_RUNTIME data source: their code names the model. */
  appSyncResolver: 'AWS::AppSync::Resolver',
  appSyncFunction: 'AWS::AppSync::FunctionConfiguration',
  tfAppSyncResolver: 'aws_appsync_resolver',
  tfAppSyncFunction: 'aws_appsync_function',
  appRunnerService: 'AWS::AppRunner::Service',
  tfAppRunnerService: 'aws_apprunner_service',
  batchJobDefinition: 'AWS::Batch::JobDefinition',
  tfBatchJobDefinition: 'aws_batch_job_definition',
  /** Workloads on Kubernetes (EKS pods calling Bedrock through their service account): their containers' env and command lines. */
  k8sDeployment: 'kubernetes_deployment',
  k8sDeploymentV1: 'kubernetes_deployment_v1',
  k8sStatefulSet: 'kubernetes_stateful_set',
  k8sStatefulSetV1: 'kubernetes_stateful_set_v1',
  k8sDaemonSet: 'kubernetes_daemon_set_v1',
  k8sJob: 'kubernetes_job',
  k8sJobV1: 'kubernetes_job_v1',
  k8sCronJob: 'kubernetes_cron_job',
  k8sCronJobV1: 'kubernetes_cron_job_v1',
  k8sPod: 'kubernetes_pod',
  k8sPodV1: 'kubernetes_pod_v1',
  /** A Helm release: the values it sets (`set` blocks, `values` documents) reach the chart's containers. */
  helmRelease: 'helm_release',
  /** A SageMaker model: the environment its serving containers get (a gateway or agent served on SageMaker calls models too). */
  sageMakerModel: 'AWS::SageMaker::Model',
  tfSageMakerModel: 'aws_sagemaker_model',
} as const;

/** AppSync data sources: those of type AMAZON_BEDROCK_RUNTIME invoke Bedrock in the API's region for the resolvers on them. */
export const APPSYNC_DATA_SOURCE_TYPES = ['AWS::AppSync::DataSource', 'aws_appsync_datasource'] as const;

/** Every type of {@link CODE_TYPES}. */
export const CODE_TYPE_NAMES: ReadonlySet<string> = new Set(Object.values(CODE_TYPES));

/** The code types that are a managed service's direct integration with Bedrock (no code of the app runs). */
export const SERVICE_INTEGRATION_TYPES: ReadonlySet<string> = new Set([
  CODE_TYPES.apiGatewayMethod,
  CODE_TYPES.tfApiGatewayIntegration,
  CODE_TYPES.appSyncResolver,
  CODE_TYPES.appSyncFunction,
  CODE_TYPES.tfAppSyncResolver,
  CODE_TYPES.tfAppSyncFunction,
]);

/** One model, profile or region a setting names. */
export type ChosenTarget =
  /** A Bedrock ARN: a model, a profile, an application profile. */
  | { readonly kind: 'arn'; readonly text: string }
  /** A geographic or global inference-profile id, or a guardrail profile id (`eu.anthropic.…`, `us.guardrail.v1:0`). */
  | { readonly kind: 'profile'; readonly text: string }
  /** A bare foundation-model id: processed in the region the caller invokes in. */
  | { readonly kind: 'model'; readonly text: string }
  /** A region the caller invokes Bedrock in. */
  | { readonly kind: 'region'; readonly text: string }
  /** A resource of the app (an application inference profile, by reference). */
  | { readonly kind: 'resource'; readonly resource: Resource; readonly text: string }
  /** A setting that chooses a model or region but cannot be read. */
  | { readonly kind: 'unknown'; readonly text: string; readonly reason: string };

/** One place that chooses a model or a region, and what it names. */
export interface ModelChoice {
  readonly resource: Resource;
  /** Where, for messages: `FoundationModel`, `Environment.Variables.MODEL_ID`. */
  readonly attribute: string;
  /** `bedrock`: a Bedrock resource's own setting; `code`: a value handed to code. */
  readonly setting: 'bedrock' | 'code';
  /** Whether the setting chooses the model (or profile) or the region calls go to. */
  readonly about: 'model' | 'region';
  readonly target: ChosenTarget;
}

/** Every model choice of the graph, in document order; once per run. */
export function modelChoices(context: AnalysisContext): readonly ModelChoice[] {
  return context.memo('model-choices', () => {
    const table = sparseFactTable(context, CHOICES, readModelChoices, isNoChoice);
    return table ? [...table.values()].flat() : context.graph.resources.flatMap((resource) => modelChoicesOf(resource, context));
  });
}

/** The model choices of one resource (none for types that choose no model). */
export function modelChoicesOf(resource: Resource, context: AnalysisContext): readonly ModelChoice[] {
  return sparseFact(context, CHOICES, resource, readModelChoices, NO_CHOICES, isNoChoice);
}

const CHOICES = 'model-choices.of';
const NO_CHOICES: readonly ModelChoice[] = Object.freeze([]);
const isNoChoice = (choices: readonly ModelChoice[]): boolean => choices.length === 0;

function readModelChoices(resource: Resource, context: AnalysisContext): readonly ModelChoice[] {
  if ((MODEL_CHOOSING_TYPES.cloudformation as readonly string[]).includes(resource.type)) return bedrockSettings(resource, bedrockService().modelSettings.cloudformation, context);
  if ((MODEL_CHOOSING_TYPES.terraform as readonly string[]).includes(resource.type)) {
    const keys = bedrockService().modelSettings.terraform.filter((key) => key !== 'copy_from' || resource.type === 'aws_bedrock_inference_profile');
    return bedrockSettings(resource, keys, context);
  }
  return codeSettings(resource, context);
}

/** The properties named as model settings, wherever they sit in the resource's properties. */
function bedrockSettings(resource: Resource, keys: readonly string[], context: AnalysisContext): ModelChoice[] {
  const out: ModelChoice[] = [];
  // Compared without case: a flow's DefinitionString holds the API's camelCase (`modelId`) where the properties say `ModelId`.
  const wanted = new Set(keys.map((key) => key.toLowerCase()));
  const pending: [Value, string][] = [[resource.properties as Value, '']];
  const props = resource.properties;
  if (resource.type === 'AWS::Bedrock::Flow' || resource.type === 'AWS::Bedrock::FlowVersion') {
    // A flow given as a JSON string (with `${Name}` placeholders DefinitionSubstitutions fills), or kept in S3.
    const text = props.DefinitionString;
    if (typeof text === 'string') {
      const substitutions = isPlainObject(props.DefinitionSubstitutions) ? props.DefinitionSubstitutions : {};
      const filled = text.replace(/\$\{([^}]+)\}/g, (placeholder, name: string) => (hasOwn(substitutions, name) && typeof substitutions[name] === 'string' ? (substitutions[name] as string) : placeholder));
      const parsed = parsedJson(filled);
      if (typeof parsed === 'string') out.push({ resource, attribute: 'DefinitionString', setting: 'bedrock', about: 'model', target: { kind: 'unknown', text: `${text.slice(0, 80)}${text.length > 80 ? '…' : ''}`, reason: 'a flow definition that is not JSON the guardrail can read' } });
      else pending.push([parsed ?? null, 'DefinitionString']);
    } else if (text instanceof Unresolved || text instanceof Reference) {
      out.push({ resource, attribute: 'DefinitionString', setting: 'bedrock', about: 'model', target: { kind: 'unknown', text: text.expression, reason: 'a flow definition known only at deploy time' } });
    }
    if (props.DefinitionS3Location !== undefined) {
      out.push({ resource, attribute: 'DefinitionS3Location', setting: 'bedrock', about: 'model', target: { kind: 'unknown', text: describeLocation(props.DefinitionS3Location), reason: 'a flow definition kept in S3, which the gate cannot read' } });
    }
  }
  walkKeys(pending, (key, child, attribute) => {
    if (!wanted.has(key.toLowerCase())) return false;
    for (const target of settingTargets(child, context, 'model')) out.push({ resource, attribute, setting: 'bedrock', about: 'model', target });
    return true;
  });
  return out.reverse();
}

/** What one setting value names: a reference, an ARN, a profile or model id, a region, or something unreadable. */
function settingTargets(value: Value | undefined, context: AnalysisContext | undefined, kind: 'model' | 'region'): ChosenTarget[] {
  if (value === undefined || value === null || value === '') return [];
  if (value instanceof Reference) {
    const resource = context?.graph.target(value);
    if (resource && resource.type.startsWith(CFN_BEDROCK_PREFIX)) return [{ kind: 'resource', resource, text: value.expression }];
    if (resource) return [{ kind: 'unknown', text: value.expression, reason: `an attribute of ${resource.type} "${resource.id}", which is not a model` }];
    return [{ kind: 'unknown', text: value.expression, reason: 'a reference the guardrail cannot follow' }];
  }
  if (value instanceof Unresolved) {
    // A deploy-time ARN still names its service and often its region (`arn:aws:bedrock:${AWS::Region}::…`).
    const arn = parseArn(value.expression);
    if (kind === 'model' && arn) return [{ kind: 'arn', text: value.expression }];
    return [{ kind: 'unknown', text: value.expression, reason: `known only at deploy time (${value.reason})` }];
  }
  if (Array.isArray(value)) return value.flatMap((item) => settingTargets(item, context, kind));
  if (typeof value !== 'string') return [{ kind: 'unknown', text: JSON.stringify(value), reason: 'not a model id, ARN or region' }];
  if (kind === 'region') return [{ kind: 'region', text: value.trim() }];
  const tokens = modelTokens(value, true);
  return tokens.length > 0 ? tokens : [{ kind: 'unknown', text: value, reason: 'not a model id, inference-profile id or Bedrock ARN the guardrail knows' }];
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Bedrock ARNs, profile ids and (where bare ids are expected) foundation-model ids in a text: a setting, a JSON list, a definition. */
export function modelTokens(text: string, bareIds: boolean): ChosenTarget[] {
  // Most values name no model: a value without "bedrock" or a dot names no ARN, profile or model id.
  if (!text.includes('.') && !text.includes('bedrock')) return [];
  const pattern = tokenPattern(bareIds);
  pattern.lastIndex = 0;
  const out: ChosenTarget[] = [];
  for (const match of text.matchAll(pattern)) {
    if (match[1]) out.push({ kind: 'arn', text: match[1] });
    else if (match[2]) out.push({ kind: 'profile', text: match[2] });
    else if (match[3]) out.push({ kind: 'model', text: match[3] });
  }
  return out;
}

/** The pattern of {@link modelTokens}, built once per catalog (a policy may bring its own inference-profile catalog). */
const tokenPatterns = new Map<string, RegExp>();

function tokenPattern(bareIds: boolean): RegExp {
  const providers = bedrockService().modelProviders.map(escape).join('|');
  const geographies = [...inferenceGeographyPrefixes()].sort((a, b) => b.length - a.length).map(escape).join('|');
  const key = `${bareIds}\u0000${providers}\u0000${geographies}`;
  let pattern = tokenPatterns.get(key);
  if (!pattern) {
    pattern = new RegExp(
      [
        `(arn:aws[a-z-]*:bedrock:[^\\s"',;\\]\\}\\)]*)`,
        `(?<![\\w.-])((?:${geographies})\\.(?:(?:${providers})\\.[\\w.:-]*[\\w:]|guardrail\\.v\\d+(?::\\d+)?))`,
        ...(bareIds ? [`(?<![\\w.-])((?:${providers})\\.[a-z0-9][\\w.:-]*[\\w:])`] : []),
      ].join('|'),
      'g',
    );
    tokenPatterns.set(key, pattern);
  }
  return pattern;
}

/** The names of settings that hand code a model or a region, compiled once. */
let codeSettingNames: { readonly model: RegExp; readonly region: RegExp } | undefined;

/** The environment variables (name → value) and definitions a code resource hands its code. */
function codeSettings(resource: Resource, context: AnalysisContext): ModelChoice[] {
  if (!CODE_TYPE_NAMES.has(resource.type)) return [];
  codeSettingNames ??= { model: new RegExp(bedrockService().codeSettings.model, 'i'), region: new RegExp(bedrockService().codeSettings.region, 'i') };
  const modelName = codeSettingNames.model;
  const regionName = codeSettingNames.region;
  const out: ModelChoice[] = [];
  // The SDK's own settings: a region every AWS call of the code uses, and an endpoint for Bedrock's runtime alone.
  const sdkRegions: ModelChoice[] = [];
  const variable = (name: string, value: Value | undefined, attribute: string): void => {
    if (bedrockService().codeSettings.sdkRegion.includes(name)) {
      for (const target of settingTargets(value, undefined, 'region')) sdkRegions.push({ resource, attribute, setting: 'code', about: 'region', target });
      return;
    }
    if (bedrockService().codeSettings.sdkEndpoint.includes(name)) {
      out.push({ resource, attribute, setting: 'code', about: 'region', target: endpointRegion(value) });
      return;
    }
    if (regionName.test(name)) {
      for (const target of settingTargets(value, undefined, 'region')) out.push({ resource, attribute, setting: 'code', about: 'region', target });
    } else if (modelName.test(name)) {
      const targets = typeof value === 'string' ? modelTokens(value, true) : settingTargets(value, undefined, 'model');
      for (const target of targets) out.push({ resource, attribute, setting: 'code', about: 'model', target });
    } else if (value instanceof Unresolved) {
      // A value built at deploy or plan time (CDK's JSON.stringify of a config holding a token, Terraform's jsonencode)
      // still shows the literal ARNs and profile ids written into it.
      for (const target of modelTokens(value.expression, false)) out.push({ resource, attribute, setting: 'code', about: 'model', target });
    } else if (typeof value === 'string' && BEDROCK_ENDPOINT_HOST.test(value)) {
      // Any other variable holding a Bedrock endpoint URL (an app's own BEDROCK_ENDPOINT_URL) names where calls go.
      out.push({ resource, attribute, setting: 'code', about: 'region', target: endpointRegion(value) });
    } else if (typeof value === 'string') {
      // A JSON configuration with a model in it (LLM_CONFIG='{"model": "…", "region": "us-east-1"}'): its keys are settings too.
      const config = value.charCodeAt(0) === 0x7b ? parsedJson(value) : undefined;
      if (isPlainObject(config) && Object.keys(config).some((key) => modelName.test(key))) {
        const before = out.length;
        for (const [key, entry] of Object.entries(config)) {
          if (/^(aws_|bedrock_)?region(_name)?$/i.test(key)) {
            for (const target of settingTargets(entry, undefined, 'region')) out.push({ resource, attribute: `${attribute}.${key}`, setting: 'code', about: 'region', target });
          } else if (typeof entry !== 'object' || entry === null) variable(key, entry, `${attribute}.${key}`);
        }
        // Lists and nested objects of the configuration: every unmistakable ARN or profile id in it counts too.
        const seen = new Set(out.slice(before).map((choice) => choice.target.text));
        for (const target of modelTokens(value, false)) if (!seen.has(target.text)) out.push({ resource, attribute, setting: 'code', about: 'model', target });
        return;
      }
      // Any other variable counts when it holds an unmistakable ARN or profile id (a JSON configuration, a list).
      for (const target of modelTokens(value, false)) out.push({ resource, attribute, setting: 'code', about: 'model', target });
    }
  };
  /** Code or a command line written into the document: the unmistakable ARNs and profile ids it names. */
  const codeText = (value: Value | undefined, attribute: string): void => {
    const written = typeof value === 'string' ? value : Array.isArray(value) && value.every((item) => typeof item === 'string') ? value.join(' ') : undefined;
    if (written === undefined) return;
    const text = withoutComments(written);
    for (const target of modelTokens(text, false)) out.push({ resource, attribute, setting: 'code', about: 'model', target });
    const endpoint = BEDROCK_ENDPOINT_HOST.exec(text);
    if (endpoint) out.push({ resource, attribute, setting: 'code', about: 'region', target: { kind: 'region', text: endpoint[1].toLowerCase() } });
  };
  /** `[{ Name, Value }]` lists (App Runner, Batch, ECS alike), in either case. */
  const pairs = (value: Value | undefined, attribute: string): void => {
    asList(value).forEach((entry, position) => {
      if (isPlainObject(entry)) variable(String(entry.Name ?? entry.name ?? ''), entry.Value ?? entry.value, `${attribute}[${position}]`);
    });
  };
  const map = (value: Value | undefined, attribute: string): void => {
    if (!isPlainObject(value)) return;
    for (const [name, entry] of Object.entries(value)) variable(name, entry, `${attribute}.${name}`);
  };
  const props = resource.properties;
  switch (resource.type) {
    case CODE_TYPES.lambdaFunction:
      map(block(props.Environment)?.Variables, 'Environment.Variables');
      codeText(block(props.Code)?.ZipFile, 'Code.ZipFile');
      break;
    case CODE_TYPES.appRunnerService: {
      const source = block(props.SourceConfiguration);
      const image = block(block(source?.ImageRepository)?.ImageConfiguration);
      pairs(image?.RuntimeEnvironmentVariables, 'SourceConfiguration.ImageRepository.ImageConfiguration.RuntimeEnvironmentVariables');
      const code = block(block(block(source?.CodeRepository)?.CodeConfiguration)?.CodeConfigurationValues);
      pairs(code?.RuntimeEnvironmentVariables, 'SourceConfiguration.CodeRepository.CodeConfiguration.CodeConfigurationValues.RuntimeEnvironmentVariables');
      break;
    }
    case CODE_TYPES.tfAppRunnerService: {
      const source = block(props.source_configuration);
      map(block(block(source?.image_repository)?.image_configuration)?.runtime_environment_variables, 'source_configuration.image_repository.image_configuration.runtime_environment_variables');
      map(block(block(block(source?.code_repository)?.code_configuration)?.code_configuration_values)?.runtime_environment_variables, 'source_configuration.code_repository.code_configuration.code_configuration_values.runtime_environment_variables');
      break;
    }
    case CODE_TYPES.batchJobDefinition:
    case CODE_TYPES.tfBatchJobDefinition: {
      const terraform = resource.type === CODE_TYPES.tfBatchJobDefinition;
      const container = terraform ? parsedJson(props.container_properties) : props.ContainerProperties;
      const attribute = terraform ? 'container_properties' : 'ContainerProperties';
      if (container instanceof Unresolved) {
        if (/model|bedrock/i.test(container.expression)) out.push({ resource, attribute, setting: 'code', about: 'model', target: { kind: 'unknown', text: container.expression, reason: `the container properties are known only at plan time (${container.reason})` } });
        break;
      }
      if (!isPlainObject(container)) break;
      pairs(container.Environment ?? container.environment, `${attribute}.Environment`);
      codeText(container.Command ?? container.command, `${attribute}.Command`);
      break;
    }
    case CODE_TYPES.agentRuntime:
      map(props.EnvironmentVariables, 'EnvironmentVariables');
      break;
    case CODE_TYPES.tfLambdaFunction:
      map(block(props.environment)?.variables, 'environment.variables');
      break;
    case CODE_TYPES.tfAgentRuntime:
      map(props.environment_variables, 'environment_variables');
      break;
    case CODE_TYPES.sageMakerModel:
    case CODE_TYPES.tfSageMakerModel: {
      const terraform = resource.type === CODE_TYPES.tfSageMakerModel;
      const primary = terraform ? 'primary_container' : 'PrimaryContainer';
      const containers = terraform ? 'container' : 'Containers';
      map(block(props[primary])?.[terraform ? 'environment' : 'Environment'], `${primary}.${terraform ? 'environment' : 'Environment'}`);
      asList(props[containers]).forEach((container, index) => map(block(container)?.[terraform ? 'environment' : 'Environment'], `${containers}[${index}].${terraform ? 'environment' : 'Environment'}`));
      break;
    }
    case CODE_TYPES.helmRelease: {
      // `set { name = "env.BEDROCK_MODEL_ID" value = "…" }`: the last part of the name is the setting the chart passes on.
      for (const key of ['set', 'set_sensitive']) {
        asList(props[key]).forEach((entry, position) => {
          const setting = block(entry);
          if (setting && typeof setting.name === 'string') variable(setting.name.split(/[.[\]]/).filter(Boolean).pop() ?? setting.name, setting.value, `${key}[${position}]`);
        });
      }
      // `values = [yamlencode({ env = { MODEL_ID = "…" } })]` or a YAML string: every setting in it, at any depth.
      asList(props.values).forEach((document, position) => {
        if (document instanceof Unresolved) {
          // A document built at plan time (yamlencode around an expression): the ARNs and profile ids written into it.
          for (const target of modelTokens(document.expression, false)) out.push({ resource, attribute: `values[${position}]`, setting: 'code', about: 'model', target });
          return;
        }
        const parsed = typeof document === 'string' ? parsedYaml(document) : document;
        walkKeys([[parsed ?? null, `values[${position}]`]], (key, child, at) => {
          if (typeof child === 'string' || child instanceof Unresolved) variable(key, child, at);
          // `env: [{ name, value }]`, as a container spec writes it.
          if (isPlainObject(child) && typeof child.name === 'string' && 'value' in child) variable(child.name, child.value, at);
          return typeof child === 'string' || child instanceof Unresolved;
        });
      });
      break;
    }
    case CODE_TYPES.k8sDeployment:
    case CODE_TYPES.k8sDeploymentV1:
    case CODE_TYPES.k8sStatefulSet:
    case CODE_TYPES.k8sStatefulSetV1:
    case CODE_TYPES.k8sDaemonSet:
    case CODE_TYPES.k8sJob:
    case CODE_TYPES.k8sJobV1:
    case CODE_TYPES.k8sCronJob:
    case CODE_TYPES.k8sCronJobV1:
    case CODE_TYPES.k8sPod:
    case CODE_TYPES.k8sPodV1:
      // Every container of the pod template, however deeply the workload nests it (spec.template.spec.container).
      walkKeys([[props, '']], (key, child, at) => {
        if ((key === 'container' || key === 'init_container') && child !== undefined) {
          asList(child).forEach((container, index) => {
            const spec = block(container);
            if (!spec) return;
            asList(spec.env).forEach((entry, position) => {
              const env = block(entry);
              if (env) variable(String(env.name ?? ''), env.value, `${at}[${index}].env[${position}]`);
            });
            codeText(spec.command, `${at}[${index}].command`);
            codeText(spec.args, `${at}[${index}].args`);
          });
          return true;
        }
        return false;
      });
      break;
    case CODE_TYPES.taskDefinition:
    case CODE_TYPES.tfTaskDefinition: {
      const terraform = resource.type === CODE_TYPES.tfTaskDefinition;
      const attribute = terraform ? 'container_definitions' : 'ContainerDefinitions';
      const containers = terraform ? parsedJson(props.container_definitions) : props.ContainerDefinitions;
      if (containers instanceof Unresolved) {
        // The whole definition is known only at plan time: its variables cannot be read.
        if (/model|bedrock/i.test(containers.expression)) out.push({ resource, attribute, setting: 'code', about: 'model', target: { kind: 'unknown', text: containers.expression, reason: `the container definitions are known only at plan time (${containers.reason})` } });
        break;
      }
      asList(containers as Value).forEach((container, index) => {
        if (!isPlainObject(container)) return;
        const name = (key: string): Value | undefined => container[key] ?? container[key.charAt(0).toLowerCase() + key.slice(1)];
        codeText(name('Command'), `${attribute}[${index}].Command`);
        codeText(name('EntryPoint'), `${attribute}[${index}].EntryPoint`);
        asList(name('Environment')).forEach((entry, position) => {
          if (isPlainObject(entry)) variable(String(entry.Name ?? entry.name ?? ''), entry.Value ?? entry.value, `${attribute}[${index}].Environment[${position}]`);
        });
        asList(name('Secrets')).forEach((entry, position) => {
          if (!isPlainObject(entry)) return;
          const secretName = String(entry.Name ?? entry.name ?? '');
          // A model or region kept in a secret or parameter is read by the code at run time.
          if (modelName.test(secretName) || regionName.test(secretName)) {
            out.push({ resource, attribute: `${attribute}[${index}].Secrets[${position}]`, setting: 'code', about: regionName.test(secretName) ? 'region' : 'model', target: { kind: 'unknown', text: `${secretName} from ${String(entry.ValueFrom ?? entry.valueFrom ?? 'a secret')}`, reason: 'a value read from a secret or parameter at run time' } });
          }
        });
      });
      break;
    }
    case CODE_TYPES.stateMachine:
    case CODE_TYPES.tfStateMachine: {
      const terraform = resource.type === CODE_TYPES.tfStateMachine;
      const attribute = terraform ? 'definition' : props.Definition !== undefined ? 'Definition' : 'DefinitionString';
      const definition = terraform ? props.definition : (props.Definition ?? props.DefinitionString);
      const substitutions = isPlainObject(props.DefinitionSubstitutions) ? props.DefinitionSubstitutions : {};
      stateMachineSettings(
        definition,
        substitutions,
        (name, value, where) => variable(name, value, `${attribute}${where}`),
        (text, reason, where) => out.push({ resource, attribute: `${attribute}${where}`, setting: 'code', about: 'model', target: { kind: 'unknown', text, reason } }),
      );
      break;
    }
    case CODE_TYPES.apiGatewayMethod:
    case CODE_TYPES.tfApiGatewayIntegration:
      out.push(...gatewayIntegrationChoices(resource));
      break;
    case CODE_TYPES.appSyncResolver:
    case CODE_TYPES.appSyncFunction:
    case CODE_TYPES.tfAppSyncResolver:
    case CODE_TYPES.tfAppSyncFunction:
      out.push(...appSyncChoices(resource, context));
      break;
  }
  // AWS_REGION is where the code's Bedrock calls go when nothing Bedrock's own says otherwise, and only code that
  // is handed a model calls Bedrock: a region setting alone makes no caller.
  if (sdkRegions.length > 0 && out.some((choice) => choice.about === 'model') && !out.some((choice) => choice.about === 'region')) out.push(...sdkRegions);
  return out;
}

/**
 * An API Gateway integration URI that calls a Bedrock runtime as an AWS service:
 * `arn:aws:apigateway:<region>:bedrock-runtime:path/model/<model id>/invoke` (Converse,
 * streaming alike), or the agent runtime's `bedrock-agent-runtime:path/agents/…`.
 */
const GATEWAY_BEDROCK_URI = /^arn:(?:aws[a-z-]*|\$\{[^}]*\}):apigateway:((?:\$\{[^}]*\}|[^:])*):(?:[^:]*\.)?(bedrock(?:-agent)?-runtime)(?:-fips)?:(path|action)\/(.*)$/;

/** The region and model an API Gateway method's (or Terraform integration's) Bedrock integration calls. */
function gatewayIntegrationChoices(resource: Resource): ModelChoice[] {
  const terraform = resource.type === CODE_TYPES.tfApiGatewayIntegration;
  const integration = terraform ? resource.properties : block(resource.properties.Integration);
  if (!integration) return [];
  const uriKey = terraform ? 'uri' : 'Uri';
  const attribute = terraform ? uriKey : `Integration.${uriKey}`;
  const uri = integration[uriKey];
  const choice = (about: 'model' | 'region', target: ChosenTarget, where = attribute): ModelChoice => ({ resource, attribute: where, setting: 'code', about, target });
  if (uri instanceof Unresolved || uri instanceof Reference) {
    // A URI known only at deploy time still shows that it calls Bedrock (`…:${AWS::Region}:bedrock-runtime:path/…`).
    const match = GATEWAY_BEDROCK_URI.exec(uri.expression);
    if (!match && !/bedrock/i.test(uri.expression)) return [];
    const reason = uri instanceof Unresolved ? `known only at deploy time (${uri.reason})` : 'a reference the guardrail cannot follow';
    if (!match) return [choice('model', { kind: 'unknown', text: uri.expression, reason })];
    return [
      choice('region', /^[a-z]{2}(-[a-z]+)+-\d+$/.test(match[1]) ? { kind: 'region', text: match[1] } : { kind: 'unknown', text: uri.expression, reason }),
      ...(match[2] === 'bedrock-runtime' ? gatewayModel(match[4], integration, terraform, choice, reason) : []),
    ];
  }
  if (typeof uri !== 'string') return [];
  const match = GATEWAY_BEDROCK_URI.exec(uri.trim());
  if (!match) return [];
  return [choice('region', { kind: 'region', text: match[1] }), ...(match[2] === 'bedrock-runtime' ? gatewayModel(match[4], integration, terraform, choice) : [])];
}

/** The model of a `bedrock-runtime` integration path: literal, URL-encoded, or a path parameter the request or a static mapping fills. */
function gatewayModel(
  path: string,
  integration: { readonly [key: string]: Value },
  terraform: boolean,
  choice: (about: 'model', target: ChosenTarget, where?: string) => ModelChoice,
  unresolved?: string,
): ModelChoice[] {
  const segment = /^model\/([^/]+)\//.exec(path)?.[1];
  if (segment === undefined) return [choice('model', { kind: 'unknown', text: path, reason: 'an integration path that names no model (model/<id>/invoke or model/<id>/converse)' })];
  if (unresolved !== undefined && segment.includes('${')) return [choice('model', { kind: 'unknown', text: segment, reason: unresolved })];
  const parameter = /^\{([^}]+)\}$/.exec(segment)?.[1];
  if (parameter !== undefined) {
    // `model/{model}/invoke`: the model comes from the integration's request parameters — a static 'value', or the caller's request.
    const parametersKey = terraform ? 'request_parameters' : 'RequestParameters';
    const key = `integration.request.path.${parameter}`;
    const parameters = integration[parametersKey];
    const mapped = isPlainObject(parameters) && hasOwn(parameters, key) ? parameters[key] : undefined;
    const where = `${parametersKey}.${key}`;
    const literal = typeof mapped === 'string' ? /^'(.*)'$/.exec(mapped.trim())?.[1] : undefined;
    if (literal !== undefined) return modelTargets(literal).map((target) => choice('model', target, where));
    const from = typeof mapped === 'string' ? mapped : mapped instanceof Unresolved || mapped instanceof Reference ? mapped.expression : 'nothing';
    return [choice('model', { kind: 'unknown', text: `{${parameter}} from ${from}`, reason: 'a model the API\'s caller chooses in the request (or no mapping fills it)' }, where)];
  }
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // An invalid escape: read the segment as written.
  }
  return modelTargets(decoded).map((target) => choice('model', target));
}

/** A model id, profile id or Bedrock ARN written alone; unknown when it is none of them. */
function modelTargets(text: string): ChosenTarget[] {
  const tokens = modelTokens(text, true);
  return tokens.length > 0 ? tokens : [{ kind: 'unknown', text, reason: 'not a model id, inference-profile id or Bedrock ARN the guardrail knows' }];
}

/** The AMAZON_BEDROCK_RUNTIME data sources of the app, by resource and by stack and name; once per run. */
function appSyncBedrockSources(context: AnalysisContext): { readonly resources: ReadonlySet<Resource>; readonly byName: ReadonlyMap<string, Resource>; readonly unnamedIn: ReadonlySet<string> } {
  return context.memo('model-choices.appsync-bedrock-sources', () => {
    const resources = new Set<Resource>();
    const byName = new Map<string, Resource>();
    // Stacks with a Bedrock data source whose name is known only at deploy time: any resolver there may use it.
    const unnamedIn = new Set<string>();
    for (const source of context.graph.ofType(...APPSYNC_DATA_SOURCE_TYPES)) {
      const terraform = source.type === APPSYNC_DATA_SOURCE_TYPES[1];
      const type = source.properties[terraform ? 'type' : 'Type'];
      // A data source whose type is known only at deploy time may be Bedrock's.
      if (type !== 'AMAZON_BEDROCK_RUNTIME' && !(type instanceof Unresolved || type instanceof Reference)) continue;
      resources.add(source);
      const name = source.properties[terraform ? 'name' : 'Name'];
      if (typeof name === 'string') byName.set(`${source.stack.name}\u0000${name}`, source);
      else unnamedIn.add(source.stack.name);
    }
    return { resources, byName, unnamedIn };
  });
}

/**
 * The model an AppSync resolver or function on a Bedrock runtime data source
 * invokes: the model and profile ids its code names (the data source calls
 * Bedrock in the API's region); unknown when its code is not in the
 * document or names no model the guardrail can read.
 */
function appSyncChoices(resource: Resource, context: AnalysisContext): ModelChoice[] {
  const sources = appSyncBedrockSources(context);
  if (sources.resources.size === 0) return [];
  const terraform = resource.type === CODE_TYPES.tfAppSyncResolver || resource.type === CODE_TYPES.tfAppSyncFunction;
  const sourceKey = terraform ? 'data_source' : 'DataSourceName';
  const named = resource.properties[sourceKey];
  let onBedrock: boolean;
  if (named instanceof Reference) {
    const target = context.graph.target(named);
    onBedrock = target === undefined || sources.resources.has(target);
  } else if (typeof named === 'string') {
    onBedrock = sources.byName.has(`${resource.stack.name}\u0000${named}`) || sources.unnamedIn.has(resource.stack.name);
  } else {
    onBedrock = named instanceof Unresolved;
  }
  if (!onBedrock) return [];
  const codeKey = terraform ? 'code' : 'Code';
  const code = resource.properties[codeKey];
  const choice = (target: ChosenTarget): ModelChoice => ({ resource, attribute: codeKey, setting: 'code', about: 'model', target });
  if (typeof code !== 'string') {
    const shown = code instanceof Unresolved || code instanceof Reference ? code.expression : terraform ? 'code not given' : String(resource.properties.CodeS3Location !== undefined ? 'CodeS3Location' : 'no Code');
    return [choice({ kind: 'unknown', text: shown, reason: 'resolver code the guardrail cannot read (write it inline to let the gate read its model)' })];
  }
  const tokens = modelTokens(code, true);
  return tokens.length > 0 ? tokens.map(choice) : [choice({ kind: 'unknown', text: `${code.slice(0, 80)}${code.length > 80 ? '…' : ''}`, reason: 'resolver code that names no model id the guardrail can read: the request may choose the model' })];
}

/** Code without its comments (`# …`, `// …`, block comments): a model a comment names is not one the code uses. */
function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:\w])\/\/[^\n]*/g, '$1').replace(/(^|\s)#[^\n]*/g, '$1');
}

/** A Bedrock endpoint's host name, public or a VPC endpoint's, with its region. */
const BEDROCK_ENDPOINT_HOST = /\bbedrock(?:-runtime)?(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:vpce\.)?amazonaws\.com(?:\.cn)?\b/i;

/** The region of a Bedrock endpoint URL (`https://bedrock-runtime.us-east-1.amazonaws.com`, a VPC endpoint's DNS name); unknown otherwise. */
function endpointRegion(value: Value | undefined): ChosenTarget {
  const text = typeof value === 'string' ? value.trim() : undefined;
  const region = text === undefined ? undefined : BEDROCK_ENDPOINT_HOST.exec(text)?.[1];
  if (region) return { kind: 'region', text: region.toLowerCase() };
  const shown = text ?? (value instanceof Unresolved || value instanceof Reference ? value.expression : JSON.stringify(value));
  return { kind: 'unknown', text: shown, reason: 'an endpoint URL whose region cannot be read: a proxy or gateway may forward prompts anywhere' };
}

/** An S3 location as written, for messages. */
function describeLocation(value: Value): string {
  if (value instanceof Unresolved || value instanceof Reference) return value.expression;
  if (isPlainObject(value)) return `s3://${String(value.Bucket ?? '?')}/${String(value.Key ?? '?')}`;
  return JSON.stringify(value);
}

/** JSON held in a string (Terraform's `container_definitions`, a state-machine definition); the value itself otherwise. */
/** A YAML or JSON document held in a string, or undefined when it is neither. */
function parsedYaml(text: string): Value | undefined {
  try {
    const yaml: typeof import('yaml') = require('yaml');
    return yaml.parse(text, { maxAliasCount: 100, logLevel: 'error' }) as Value;
  } catch {
    return undefined;
  }
}

function parsedJson(value: Value | undefined): Value | undefined {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as Value;
  } catch {
    return value;
  }
}

/**
 * The `ModelId` parameters of a state machine's tasks (an `arn:aws:states:::bedrock:invokeModel` task names
 * its model there), with `${Name}` placeholders filled from DefinitionSubstitutions; other strings of the
 * definition count when they hold an unmistakable ARN or profile id.
 */
function stateMachineSettings(
  definition: Value | undefined,
  substitutions: { [name: string]: Value },
  visit: (name: string, value: Value, where: string) => void,
  unknownModel: (text: string, reason: string, where: string) => void,
): void {
  if (definition instanceof Unresolved) {
    if (/model|bedrock/i.test(definition.expression)) visit('ModelId', definition, '');
    return;
  }
  // Only the substitutions' own keys: a placeholder named like an inherited property (`${constructor}`) is not filled.
  const substitution = (name: string): Value | undefined => (hasOwn(substitutions, name) ? substitutions[name] : undefined);
  const substitute = (text: string): Value => {
    const whole = /^\$\{([^}]+)\}$/.exec(text);
    if (whole && substitution(whole[1]) !== undefined) return substitution(whole[1])!;
    return text.replace(/\$\{([^}]+)\}/g, (placeholder, name: string) => (typeof substitution(name) === 'string' ? (substitution(name) as string) : placeholder));
  };
  // A model id with a placeholder no substitution fills names no model that can be read: it cannot be verified.
  const modelId = (text: string): Value => {
    const value = substitute(text);
    const open = typeof value === 'string' ? /\$\{([^}]+)\}/.exec(value) : null;
    return open ? new Unresolved(value as string, `DefinitionSubstitutions does not fill the placeholder \${${open[1]}}`) : value;
  };
  const parsed = parsedJson(definition);
  if (typeof parsed === 'string') {
    visit('Definition', substitute(parsed), '');
    return;
  }
  const pending: [Value, string][] = [[parsed ?? null, '']];
  while (pending.length > 0) {
    const [value, where] = pending.pop()!;
    if (Array.isArray(value)) value.forEach((item, index) => pending.push([item, `${where}[${index}]`]));
    else if (isPlainObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (/^ModelId(\.\$)?$/i.test(key)) {
          const at = `${where}.${key}`;
          const chosen = typeof child === 'string' ? modelId(child) : child;
          // A task's ModelId taken from the state's input (JSONPath `ModelId.$`, a JSONata `{% … %}` expression) is chosen at run time.
          if (key.endsWith('.$') && typeof chosen === 'string') unknownModel(chosen, 'a model taken from the state input at run time (JSONPath)', at);
          else if (typeof chosen === 'string' && /^\s*\{%[\s\S]*%\}\s*$/.test(chosen)) unknownModel(chosen, 'a model computed at run time (JSONata)', at);
          else if (typeof chosen === 'string' && modelTokens(chosen, true).length === 0) unknownModel(chosen, 'not a model id, inference-profile id or Bedrock ARN the guardrail knows', at);
          else visit('ModelId', chosen, at);
        } else pending.push([child, `${where}.${key}`]);
      }
    } else if (typeof value === 'string') visit('', substitute(value), where);
  }
}

/** The region a code resource's Bedrock calls go to: its region setting when there is one, else where it runs. */
export function invocationRegionOf(resource: Resource, context: AnalysisContext): Value | undefined {
  const setting = modelChoicesOf(resource, context).find((choice) => choice.about === 'region');
  if (setting?.target.kind === 'region') return setting.target.text;
  if (setting) return new Unresolved(setting.target.text, `the region ${setting.attribute} names is known only at deploy time`);
  return placementOf(resource)?.value;
}
