import { z } from 'zod';
import {
  FieldDiff,
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

// One subject's data as of a moment (issue 18 §4): a point-in-time restore into a scratch
// database, the subject's rows read there and in production, a preview per table, applied in
// one transaction. The preview's statements stay in the app; apply names the preview by id.

export const SubjectRestoreInput = z
  .object({
    serverId: Id,
    database: z.string().min(1).max(63),
    /** `schema.table.column` of a single table's record; absent: the saved subject map. */
    root: z.string().min(3).max(200).optional(),
    /** The subject's value in the root column (a customer id, an e-mail address). */
    value: z.string().min(1).max(2000),
    /** The moment, to the second, with its offset (the console sends the server's zone). */
    at: z.string().datetime({ offset: true }),
    /** Keep the scratch database for a look afterwards (it expires like any scratch restore). */
    keepScratch: z.boolean().default(false),
  })
  .strict();
export type SubjectRestoreInput = z.input<typeof SubjectRestoreInput>;

export const SubjectRestoreRefusal = z.discriminatedUnion('code', [
  z.object({ code: z.literal('erased'), erasureId: z.string(), erasedAt: z.string() }),
  z.object({ code: z.literal('no-primary-key'), table: z.string() }),
  z.object({
    code: z.literal('columns-changed'),
    table: z.string(),
    added: z.array(z.string()),
    removed: z.array(z.string()),
  }),
  z.object({ code: z.literal('changed-after-preview') }),
  z.object({ code: z.literal('preview-unknown') }),
  z.object({
    code: z.enum(['foreign-key', 'unique', 'constraint']),
    constraint: z.string(),
    table: z.string(),
  }),
]);
export type SubjectRestoreRefusal = z.infer<typeof SubjectRestoreRefusal>;

export const SubjectRowChange = z.object({
  action: z.enum(['insert', 'update', 'delete']),
  key: RowText,
  diff: z.array(FieldDiff),
});
export type SubjectRowChange = z.infer<typeof SubjectRowChange>;

export const SubjectTableChanges = z.object({
  table: z.string(),
  inserts: z.number().int(),
  updates: z.number().int(),
  deletes: z.number().int(),
  unchanged: z.number().int(),
  changes: z.array(SubjectRowChange),
});
export type SubjectTableChanges = z.infer<typeof SubjectTableChanges>;

export const SubjectRestorePreview = z.object({
  previewId: z.string(),
  serverId: Id,
  database: z.string(),
  root: z.string(),
  /** Whether the saved subject map was followed (else the root table's record only). */
  map: z.boolean(),
  at: z.string(),
  /** The scratch environment kept for a look; null: dropped after reading. */
  scratchId: z.string().nullable(),
  tables: z.array(SubjectTableChanges),
  refusal: SubjectRestoreRefusal.optional(),
});
export type SubjectRestorePreview = z.infer<typeof SubjectRestorePreview>;

export const SubjectRestoreApplyInput = z
  .object({
    serverId: Id,
    previewId: z.string().min(1).max(100),
    /** Why, in the admin's words; recorded in the audit trail with who asked. */
    reason: z.string().trim().min(1).max(2000),
  })
  .strict();

export const SubjectRestoreOutcome = z.union([
  z.object({
    applied: z.literal(true),
    inserted: z.number().int(),
    updated: z.number().int(),
    deleted: z.number().int(),
  }),
  z.object({ applied: z.literal(false), refusal: SubjectRestoreRefusal }),
]);
export type SubjectRestoreOutcome = z.infer<typeof SubjectRestoreOutcome>;

/** The job kind of a subject restore's preview (its result: SubjectRestorePreview). */
export const SUBJECT_RESTORE_JOB_KIND = 'rollback.subject';
