/**
 * Azure OpenAI on CDK for Terraform: constructs that are compliant by
 * construction. Provider resources are imported by deep path only, so
 * importing this module does not load the whole azurerm provider.
 */
export * from './audit-workspace';
export * from './openai-endpoint';
