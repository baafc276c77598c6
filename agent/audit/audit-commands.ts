import type { AgentConfig } from '../../shared/agent/config';
import {
  AuditSpec,
  RecordFindSpec,
  RecordSpec,
  RollbackApplySpec,
  RollbackPreviewSpec,
} from '../../shared/audit/rollback-spec';
import { parseSpecArg } from '../runtime/spec-arg';
import { installAuditTrail, pruneAuditHistory, removeAuditTrail } from './audit-trail';
import { findRecords } from './record-find';
import { applyRollback, previewRollback, recordHistory } from './record-rollback';

/** The agent's audit trail and record rollback commands (issue 18); each takes `--spec <json>`. */
export const AUDIT_COMMANDS = [
  'audit-install',
  'audit-remove',
  'audit-prune',
  'rollback-history',
  'rollback-find',
  'rollback-preview',
  'rollback-apply',
] as const;
export type AuditCommand = (typeof AUDIT_COMMANDS)[number];

export const AUDIT_USAGE = `  audit-install  install or upgrade the audit trail and attach it to tables (JSON)
               --spec '{"db":…,"schemas"?:[…],"tables"?:["schema.table"]}' [--dry-run]
  audit-remove   detach the audit trail; the history stays unless dropHistory (JSON)
               --spec '{"db":…,"dropHistory"?:true}' [--dry-run]
  audit-prune    delete history older than the retention (default 30 days)   --spec '{"db":…}'
  rollback-history
               one record's versions   --spec '{"db","schema","table","key":{col: JSON text}}'
  rollback-find  records by a column's value, now and in the history
               --spec '{"db","schema","table","column","value": JSON text}'
  rollback-preview
               what a rollback would do   --spec '{…record, "target":{"at"|"afterVersion"}}'
  rollback-apply apply a previewed rollback in one transaction, or say why not
               --spec '{…record, "preview", "actor", "reason"}'`;

/** Runs one audit command and returns its JSON result. */
export async function runAuditCommand(
  command: AuditCommand,
  config: AgentConfig,
  spec: string | undefined,
  dryRun: boolean,
): Promise<unknown> {
  switch (command) {
    case 'audit-install': {
      const s = parseSpecArg(AuditSpec, spec);
      return installAuditTrail(config, s.db, { schemas: s.schemas, tables: s.tables }, dryRun);
    }
    case 'audit-remove': {
      const s = parseSpecArg(AuditSpec, spec);
      return removeAuditTrail(config, s.db, s.dropHistory ?? false, dryRun);
    }
    case 'audit-prune': {
      const s = parseSpecArg(AuditSpec, spec);
      return pruneAuditHistory(config, s.db, s.retentionDays);
    }
    case 'rollback-history':
      return recordHistory(config, parseSpecArg(RecordSpec, spec));
    case 'rollback-find':
      return findRecords(config, parseSpecArg(RecordFindSpec, spec));
    case 'rollback-preview': {
      const s = parseSpecArg(RollbackPreviewSpec, spec);
      return previewRollback(config, s, s.target);
    }
    case 'rollback-apply': {
      const s = parseSpecArg(RollbackApplySpec, spec);
      return applyRollback(config, s, s.preview, { actor: s.actor, reason: s.reason });
    }
  }
}
