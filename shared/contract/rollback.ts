import { z } from 'zod';
import {
  RecordVersion,
  Refusal,
  RollbackPreview,
  RollbackTarget,
  RowText,
} from '../audit/rollback-plan';
import { Id } from './domain';

/**
 * Record history and rollback through the server's agent (issue 18 §2, §3). Key values are
 * JSON texts (`"A-1"`, `42`); the agent reads them through the table's own types.
 */
export const RecordRefInput = z
  .object({
    serverId: Id,
    db: z.string().min(1).max(63),
    schema: z.string().min(1).max(63),
    table: z.string().min(1).max(63),
    key: RowText,
  })
  .strict();

export const RecordHistory = z.object({
  versions: z.array(RecordVersion),
  current: RowText.nullable(),
});
export type RecordHistory = z.infer<typeof RecordHistory>;

/** Records of a table by a column's value (a JSON text, read through the column's type). */
export const RecordFindInput = z
  .object({
    serverId: Id,
    db: z.string().min(1).max(63),
    schema: z.string().min(1).max(63),
    table: z.string().min(1).max(63),
    column: z.string().min(1).max(63),
    value: z.string().min(1).max(2000),
  })
  .strict();

export const RollbackPreviewInput = RecordRefInput.extend({ target: RollbackTarget }).strict();

export const RollbackApplyInput = RecordRefInput.extend({
  preview: RollbackPreview,
  /** Why, in the admin's words; recorded in the audit trail with who asked. */
  reason: z.string().trim().min(1).max(2000),
}).strict();

export const RollbackOutcome = z.union([
  z.object({
    applied: z.literal(true),
    action: RollbackPreview.shape.action,
    historyIds: z.array(z.string()),
  }),
  z.object({ applied: z.literal(false), refusal: Refusal }),
]);
export type RollbackOutcome = z.infer<typeof RollbackOutcome>;

export const AuditInstallInput = z
  .object({
    serverId: Id,
    db: z.string().min(1).max(63),
    schemas: z.array(z.string().min(1).max(63)).optional(),
    tables: z.array(z.string().min(1).max(127)).optional(),
    dryRun: z.boolean().default(true),
  })
  .strict();

export const AuditRemoveInput = z
  .object({
    serverId: Id,
    db: z.string().min(1).max(63),
    dropHistory: z.boolean().default(false),
    dryRun: z.boolean().default(true),
  })
  .strict();

export const AuditJobResult = z.object({
  db: z.string(),
  dryRun: z.boolean(),
  trail: z.enum(['install', 'upgrade', 'unchanged', 'remove', 'remove-with-history', 'absent']),
  tables: z.array(
    z.object({
      schema: z.string(),
      table: z.string(),
      key: z.array(z.string()),
      action: z.enum(['attach', 'reattach', 'unchanged', 'detach', 'not-selected', 'uncovered']),
      reason: z.enum(['no-primary-key', 'unlogged']).optional(),
    }),
  ),
});
export type AuditJobResult = z.infer<typeof AuditJobResult>;
