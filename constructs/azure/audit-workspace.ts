import { LogAnalyticsDataExportRule } from '@cdktf/provider-azurerm/lib/log-analytics-data-export-rule';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { LogAnalyticsWorkspaceTable } from '@cdktf/provider-azurerm/lib/log-analytics-workspace-table';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { CdktfGuardrail } from '../../aspects/cdktf';
import { LOG_ROLE_TAG } from '../../lib/analysis/log-wiring';
import { GuardrailPolicy } from '../../lib/policy/policy';

/** Interactive retention a Log Analytics workspace accepts, in days. */
export const WORKSPACE_MIN_RETENTION_DAYS = 30;
export const WORKSPACE_MAX_RETENTION_DAYS = 730;
/** Total (interactive + long-term) retention a workspace table accepts: twelve years. */
export const TABLE_MAX_TOTAL_RETENTION_DAYS = 4383;

/** Longest time-based immutability Azure Storage accepts, in days. */
export const ARCHIVE_MAX_IMMUTABILITY_DAYS = 146000;

/** The table Azure Monitor diagnostic settings write Azure OpenAI logs to. */
export const DIAGNOSTICS_TABLE = 'AzureDiagnostics';

/** An archive of the diagnostics table in a storage account that keeps every blob unchangeable for the retention period. */
export interface AzureLogArchiveOptions {
  /** Name of the storage account: 3–24 lower-case letters and digits, unique in Azure. */
  readonly storageAccountName: string;
  /**
   * Lock the immutability policy. A locked policy can be extended but never
   * shortened or removed, which is what auditors look for; it cannot be
   * undone, so lock it once the period is settled.
   * @default false
   */
  readonly locked?: boolean;
  /**
   * Replication of the storage account (it stays in the workspace's region
   * with LRS or ZRS; geo-redundant types copy data to the paired region).
   * @default "ZRS"
   */
  readonly replicationType?: string;
}

export interface AzureAuditWorkspaceProps {
  /** Name of the Log Analytics workspace. */
  readonly name: string;
  /** Resource group the workspace is created in. */
  readonly resourceGroupName: string;
  /** Azure region, e.g. `westeurope`; must lie inside the policy's residency. */
  readonly location: string;
  /**
   * The policy the workspace must satisfy.
   * @default - the `llm-guardrail:policy` context value, else the one in ./cdktf.json
   */
  readonly policy?: GuardrailPolicy;
  /**
   * Interactive retention of the workspace, 30–730 days.
   * @default - the policy's minimum audit-log retention, kept within 30–730
   */
  readonly retentionInDays?: number;
  /**
   * Total retention (interactive plus long-term) of the AzureDiagnostics
   * table, up to 4383 days. Needed when the policy minimum exceeds the 730
   * days a workspace keeps interactively.
   * @default - the policy minimum when it exceeds `retentionInDays`; otherwise no table setting
   */
  readonly totalRetentionInDays?: number;
  /**
   * Keep logs beyond the workspace's retention in an immutable storage
   * archive (data export of the AzureDiagnostics table) instead of the
   * table's long-term retention. The archive keeps blobs for the total
   * retention (`totalRetentionInDays`, else the policy minimum).
   * @default - no archive; long-term retention of the table when needed
   */
  readonly archive?: AzureLogArchiveOptions;
  /**
   * Pricing tier of the workspace.
   * @default "PerGB2018"
   */
  readonly sku?: string;
  /**
   * Tags for the workspace. The log-role tag (`llm-guardrail-log-role: audit`)
   * is always added.
   * @default - only the log-role tag
   */
  readonly tags?: { [key: string]: string };
}

/**
 * A Log Analytics workspace for audit logs, in a region the policy allows,
 * keeping them at least as long as the policy demands: workspace retention up
 * to 730 days, and beyond that the total retention of the AzureDiagnostics
 * table, or an immutable storage archive of it.
 */
export class AzureAuditWorkspace extends Construct {
  readonly workspace: LogAnalyticsWorkspace;
  /** The AzureDiagnostics table setting, when retention beyond the workspace's is needed and there is no archive. */
  readonly diagnosticsTable?: LogAnalyticsWorkspaceTable;
  /** The immutable archive storage account, when `archive` is set. */
  readonly archiveStorageAccount?: StorageAccount;
  /** The export of the diagnostics table to the archive, when `archive` is set. */
  readonly archiveExport?: LogAnalyticsDataExportRule;
  readonly policy: GuardrailPolicy;
  /** Azure resource id of the workspace. */
  readonly workspaceId: string;
  /** The workspace region. */
  readonly location: string;
  /** Interactive retention in days. */
  readonly retentionInDays: number;
  /** Days logs are kept in total (interactive plus long-term). */
  readonly totalRetentionInDays: number;

  constructor(scope: Construct, id: string, props: AzureAuditWorkspaceProps) {
    super(scope, id);
    this.policy = CdktfGuardrail.policyOf(this, props.policy);
    const where = this.node.path;
    this.location = props.location;
    if (!Token.isUnresolved(props.name) && !/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/.test(props.name)) {
      throw new Error(`${where}: workspace name "${props.name}" must be 4–63 letters, digits or hyphens, starting and ending with a letter or digit (fix: rename it)`);
    }

    const minimum = this.policy.minAuditLogRetentionDays;
    const retention = props.retentionInDays ?? Math.min(Math.max(minimum, WORKSPACE_MIN_RETENTION_DAYS), WORKSPACE_MAX_RETENTION_DAYS);
    if (!Number.isInteger(retention) || retention < WORKSPACE_MIN_RETENTION_DAYS || retention > WORKSPACE_MAX_RETENTION_DAYS) {
      throw new Error(
        `${where}: retentionInDays ${retention} is outside the ${WORKSPACE_MIN_RETENTION_DAYS}–${WORKSPACE_MAX_RETENTION_DAYS} days a workspace accepts (fix: set at most ${WORKSPACE_MAX_RETENTION_DAYS} and use totalRetentionInDays for longer retention)`,
      );
    }
    const archive = props.archive;
    const total = props.totalRetentionInDays ?? (minimum > retention ? minimum : undefined);
    const totalLimit = archive ? ARCHIVE_MAX_IMMUTABILITY_DAYS : TABLE_MAX_TOTAL_RETENTION_DAYS;
    if (total !== undefined && (!Number.isInteger(total) || total < retention || total > totalLimit)) {
      throw new Error(`${where}: totalRetentionInDays ${total} must be a whole number between retentionInDays (${retention}) and ${totalLimit} (fix: set it within that range)`);
    }
    if (archive && !Token.isUnresolved(archive.storageAccountName) && !/^[a-z0-9]{3,24}$/.test(archive.storageAccountName)) {
      throw new Error(`${where}: archive storage account name "${archive.storageAccountName}" must be 3–24 lower-case letters and digits (fix: rename it)`);
    }
    const kept = total ?? retention;
    // Retention below the policy minimum (or a location outside it) is built as asked: the gate reports it (LCG-RET-003,
    // LCG-RES-001) with the report file and acknowledgements of every finding.
    this.retentionInDays = retention;
    this.totalRetentionInDays = kept;

    this.workspace = new LogAnalyticsWorkspace(this, 'workspace', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: props.sku ?? 'PerGB2018',
      retentionInDays: retention,
      tags: { ...props.tags, [LOG_ROLE_TAG]: 'audit' },
    });
    this.workspaceId = this.workspace.id;
    if (archive) {
      this.archiveStorageAccount = new StorageAccount(this, 'archive', {
        name: archive.storageAccountName,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        accountTier: 'Standard',
        accountReplicationType: archive.replicationType ?? 'ZRS',
        minTlsVersion: 'TLS1_2',
        allowNestedItemsToBePublic: false,
        // Account-level immutability needs blob versioning; it is set at creation and applies to every container.
        blobProperties: { versioningEnabled: true },
        immutabilityPolicy: { periodSinceCreationInDays: kept, state: archive.locked ? 'Locked' : 'Unlocked', allowProtectedAppendWrites: true },
        tags: { ...props.tags, [LOG_ROLE_TAG]: 'audit' },
      });
      this.archiveExport = new LogAnalyticsDataExportRule(this, 'archive-export', {
        name: `${props.name}-archive`,
        resourceGroupName: props.resourceGroupName,
        workspaceResourceId: this.workspace.id,
        destinationResourceId: this.archiveStorageAccount.id,
        tableNames: [DIAGNOSTICS_TABLE],
        enabled: true,
      });
    } else if (total !== undefined && total > retention) {
      this.diagnosticsTable = new LogAnalyticsWorkspaceTable(this, 'diagnostics-retention', {
        workspaceId: this.workspace.id,
        name: DIAGNOSTICS_TABLE,
        retentionInDays: retention,
        totalRetentionInDays: total,
      });
    }
  }
}
