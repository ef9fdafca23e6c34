/**
 * Declares an external LLM provider the app calls (OpenAI, Anthropic, Cohere,
 * Mistral, Together AI, Hugging Face, self-hosted open weights): the
 * declaration goes into the stack's template Metadata
 * (`LlmGuardrail::ExternalProviders`), deploys nothing, and is judged by the
 * gate and by `llm-guardrail check` on the cdk.out like any resource.
 */
import { Stack, aws_lambda as lambda, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CFN_PROVIDERS_METADATA, ProviderDeclarationSpec, validateProviderDeclaration } from '../../lib/input/provider-declarations';

export interface ExternalLlmProviderProps extends Omit<ProviderDeclarationSpec, 'name'> {
  /** Name of the declaration in findings and reports. @default the construct id */
  readonly name?: string;
  /** The secret that holds the provider's API key: `configure()` grants read access and passes its ARN. @default - none */
  readonly apiKey?: secretsmanager.ISecret;
}

export class ExternalLlmProvider extends Construct {
  /** The declaration as written into the template. */
  readonly declaration: ProviderDeclarationSpec;
  private readonly apiKey?: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: ExternalLlmProviderProps) {
    super(scope, id);
    const { apiKey, ...spec } = props;
    this.declaration = validateProviderDeclaration({ ...spec, name: props.name ?? id }, `ExternalLlmProvider at "${this.node.path}"`);
    this.apiKey = apiKey;
    const stack = Stack.of(this);
    const metadata = stack.templateOptions.metadata ?? {};
    const declared = (metadata[CFN_PROVIDERS_METADATA] as ProviderDeclarationSpec[] | undefined) ?? [];
    stack.templateOptions.metadata = { ...metadata, [CFN_PROVIDERS_METADATA]: [...declared, this.declaration] };
  }

  /**
   * Points a function at the declared host (`LLM_BASE_URL` = https://host) and,
   * when an API key secret was given, grants it read access and passes its ARN
   * (`LLM_API_KEY_SECRET_ARN`): the host the gate judged is the one called.
   */
  configure(fn: lambda.Function, prefix = 'LLM'): void {
    if (this.declaration.host) fn.addEnvironment(`${prefix}_BASE_URL`, `https://${this.declaration.host}`);
    if (this.apiKey) {
      this.apiKey.grantRead(fn);
      fn.addEnvironment(`${prefix}_API_KEY_SECRET_ARN`, this.apiKey.secretArn);
    }
  }
}
