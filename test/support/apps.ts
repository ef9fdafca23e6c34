/**
 * Small but real LLM-workload apps, synthesized with aws-cdk-lib and cdktf,
 * for tests that judge a whole `cdk.out` or `cdktf.out` (the CLI and the
 * report formats). Each builder returns the output directory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring';
import { LoggingProjectBucketConfig } from '@cdktf/provider-google/lib/logging-project-bucket-config';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { Stack, Tags } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { TerraformStack } from 'cdktf';
import { LOG_ROLE_TAG } from '../../lib/analysis/log-wiring';
import { synthCdk, synthCdktf, tempDir } from './synth';

/** Name of the stack {@link synthAwsApp} writes. */
export const AWS_STACK = 'Assistant';
/** Construct path of its audit log group (the CloudFormation resource). */
export const AWS_AUDIT_LOG_GROUP_PATH = `${AWS_STACK}/AuditLogs/Resource`;

export interface AwsAppOptions {
  /** Region of the stack's environment. */
  readonly region: string;
  /** Retention of the audit log group, in days (a value CloudWatch accepts). @default 365 */
  readonly auditLogRetentionDays?: number;
}

/** A CDK app with one stack holding a log group, encrypted with its own key, declared as the audit trail. */
export function synthAwsApp(options: AwsAppOptions): string {
  return synthCdk((app) => {
    const stack = new Stack(app, AWS_STACK, { env: { account: '111111111111', region: options.region } });
    const encryptionKey = new Key(stack, 'AuditLogKey', { enableKeyRotation: true });
    const auditLogs = new LogGroup(stack, 'AuditLogs', { retention: (options.auditLogRetentionDays ?? 365) as RetentionDays, encryptionKey });
    Tags.of(auditLogs).add(LOG_ROLE_TAG, 'audit');
  });
}

/** Stack names and Terraform addresses {@link synthTerraformApp} writes. */
export const AZURE_STACK = 'azure-assistant';
export const AZURE_RESOURCE_GROUP = 'azurerm_resource_group.assistant';
export const AZURE_WORKSPACE = 'azurerm_log_analytics_workspace.audit-logs';
export const AZURE_WORKSPACE_PATH = `${AZURE_STACK}/audit-logs`;
export const GOOGLE_STACK = 'google-assistant';
export const GOOGLE_LOG_BUCKET = 'google_logging_project_bucket_config.audit-bucket';
export const GOOGLE_LOG_BUCKET_PATH = `${GOOGLE_STACK}/audit-bucket`;

export interface TerraformAppOptions {
  /** An Azure stack: a resource group and a Log Analytics workspace. @default - no Azure stack */
  readonly azure?: { readonly location: string; readonly retentionInDays: number };
  /** A Google stack: a Cloud Logging bucket encrypted with a key from a key ring in the same location. @default - no Google stack */
  readonly google?: { readonly location: string; readonly retentionDays: number };
}

/** A CDKTF app with one stack per cloud asked for, each holding an audit log store. */
export function synthTerraformApp(options: TerraformAppOptions): string {
  return synthCdktf((app) => {
    if (options.azure) {
      const stack = new TerraformStack(app, AZURE_STACK);
      new AzurermProvider(stack, 'azurerm', { features: [{}] });
      const group = new ResourceGroup(stack, 'assistant', { name: 'rg-assistant', location: options.azure.location });
      new LogAnalyticsWorkspace(stack, 'audit-logs', {
        name: 'law-assistant-audit',
        location: group.location,
        resourceGroupName: group.name,
        sku: 'PerGB2018',
        retentionInDays: options.azure.retentionInDays,
      });
    }
    if (options.google) {
      const stack = new TerraformStack(app, GOOGLE_STACK);
      new GoogleProvider(stack, 'google', { project: 'assistant-prod', region: options.google.location });
      const keyRing = new KmsKeyRing(stack, 'logs', { name: 'logs', location: options.google.location });
      const key = new KmsCryptoKey(stack, 'audit-logs', { name: 'audit-logs', keyRing: keyRing.id, rotationPeriod: '7776000s' });
      new LoggingProjectBucketConfig(stack, 'audit-bucket', {
        project: 'assistant-prod',
        bucketId: 'llm-audit',
        location: options.google.location,
        retentionDays: options.google.retentionDays,
        cmekSettings: { kmsKeyName: key.id },
      });
    }
  });
}

/** Writes a policy file (JSON, or YAML when the name ends in .yaml) into a fresh folder and returns its path. */
export function writePolicyFile(name: string, content: string | object): string {
  const file = path.join(tempDir('policy'), name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** Copies a synthesized output to a fresh folder, so a test may damage it. */
export function copyOutput(directory: string): string {
  const copy = path.join(tempDir('copy'), path.basename(directory));
  fs.cpSync(directory, copy, { recursive: true });
  return copy;
}
