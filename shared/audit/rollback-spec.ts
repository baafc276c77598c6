import { z } from 'zod';
import { RollbackPreview, RollbackTarget, RowText } from './rollback-plan';

/**
 * What the app hands the agent for `kumiko-agent rollback-history|rollback-preview|
 * rollback-apply --spec <json>`. Key values are JSON texts; the agent reads them through the
 * table's own types, so "1" and 1 name the same integer key.
 */
export const RecordSpec = z.object({
  db: z.string().min(1),
  schema: z.string().min(1),
  table: z.string().min(1),
  key: RowText,
});
export type RecordSpec = z.infer<typeof RecordSpec>;

export const RollbackPreviewSpec = RecordSpec.extend({ target: RollbackTarget });
export type RollbackPreviewSpec = z.infer<typeof RollbackPreviewSpec>;

export const RollbackApplySpec = RecordSpec.extend({
  preview: RollbackPreview,
  /** Who asked (the app's user), recorded in the audit trail beside the database user. */
  actor: z.string().min(1).max(200),
  /** Why, in the admin's words, recorded in the audit trail. */
  reason: z.string().min(1).max(2000),
});
export type RollbackApplySpec = z.infer<typeof RollbackApplySpec>;

/** `kumiko-agent audit-install|audit-remove|audit-prune --spec <json>`. */
export const AuditSpec = z.object({
  db: z.string().min(1),
  schemas: z.array(z.string().min(1)).optional(),
  tables: z.array(z.string().min(1)).optional(),
  dropHistory: z.boolean().optional(),
  retentionDays: z.number().int().min(1).max(3650).optional(),
});
export type AuditSpec = z.infer<typeof AuditSpec>;

/** `kumiko-agent rollback-find --spec <json>`: records by a column's value (a JSON text). */
export const RecordFindSpec = z.object({
  db: z.string().min(1),
  schema: z.string().min(1),
  table: z.string().min(1),
  column: z.string().min(1),
  value: z.string().min(1),
});
export type RecordFindSpec = z.infer<typeof RecordFindSpec>;

/**
 * What a search found: the table's key columns, the keys of records holding the value now and
 * of records that held it before (deleted or changed since), newest first, at most `limit` each.
 */
export const RecordMatches = z.object({
  key: z.array(z.string()),
  now: z.array(RowText),
  before: z.array(RowText),
  limit: z.number().int(),
});
export type RecordMatches = z.infer<typeof RecordMatches>;
