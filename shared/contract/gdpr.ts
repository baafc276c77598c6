import { z } from 'zod';
import { MapEdits, SubjectMap } from '../gdpr/subject-map-schema';
import { Id } from './domain';

// GDPR commands (issue 17): the subject map, the access export and the erasure of one data
// subject of one database on a server with the agent installed.

const Database = z.string().min(1).max(63);
/** The root key value that names the subject (a customer id, an e-mail address). */
const Subject = z.string().min(1).max(1000);

export const GdprMapInput = z
  .object({
    serverId: Id,
    database: Database,
    /** `table.column` or `schema.table.column`; default the saved map's root. */
    root: z.string().min(3).max(200).optional(),
    /** Replace the saved map's edits (default: keep them). */
    edits: MapEdits.optional(),
    /** Save the map as a new version. */
    save: z.boolean().optional(),
  })
  .strict();
export type GdprMapInput = z.infer<typeof GdprMapInput>;

export const GdprMapResult = z.object({
  map: SubjectMap,
  edits: MapEdits,
  /** The saved version this is (after save), or the latest saved one it was compared to. */
  version: z.number().int().nullable(),
  /** What changed in the live schema since the saved version (empty: nothing). */
  drift: z.array(z.string()),
});
export type GdprMapResult = z.infer<typeof GdprMapResult>;

export const GdprSubjectInput = z
  .object({ serverId: Id, database: Database, subject: Subject })
  .strict();
export type GdprSubjectInput = z.infer<typeof GdprSubjectInput>;

/** The access export's job kind and phases, in order. */
export const GDPR_EXPORT_JOB_KIND = 'gdpr.export';
export const GDPR_EXPORT_PHASES = ['estimate', 'read', 'write'] as const;

/** Rows and bytes per table of one subject, before the export (the database's own sizes). */
export const GdprExportEstimate = z.object({
  tables: z.array(z.object({ table: z.string(), rows: z.number().int(), bytes: z.number().int() })),
  rows: z.number().int(),
  bytes: z.number().int(),
});
export type GdprExportEstimate = z.infer<typeof GdprExportEstimate>;

export const GdprExportInput = GdprSubjectInput.extend({
  /** Folder for the zip; default the app's data folder `gdpr-exports/`. */
  outputDirectory: z.string().min(1).max(4096).optional(),
}).strict();
export type GdprExportInput = z.infer<typeof GdprExportInput>;

const TableRows = z.object({ table: z.string(), rows: z.number().int() });

export const GdprExportResult = z.object({
  exportId: z.string(),
  path: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  tables: z.array(TableRows.extend({ bytes: z.number().int() })),
  /** When the last backup still holding data of the subject expires (date), or null. */
  backupsExpire: z.string().nullable(),
});
export type GdprExportResult = z.infer<typeof GdprExportResult>;

export const GdprEraseInput = GdprSubjectInput.extend({
  /** Only say what would change; change nothing. */
  dryRun: z.boolean(),
}).strict();
export type GdprEraseInput = z.infer<typeof GdprEraseInput>;

export const GdprEraseResult = z.object({
  dryRun: z.boolean(),
  erasureId: z.string().nullable(),
  erasedAt: z.string().nullable(),
  /** The day the erasure becomes final in every backup at the latest (GFS retention rolled over). */
  hardDeleteDue: z.string(),
  tables: z.array(TableRows),
  references: z.array(
    z.object({
      id: z.string(),
      rows: z.number().int(),
      effect: z.enum(['blocks', 'cascade', 'clears']),
    }),
  ),
  /** Why the erasure cannot run (dry run only; an erasure that cannot run fails with CONFLICT). */
  refusals: z.array(z.string()),
  /**
   * The attached files the subject's rows name: a dry run says which it would remove (inside
   * the agent's attached-file folders) and which it may not touch (outside); an erasure says
   * which it removed, and which it could not (missing, failed).
   */
  files: z.array(
    z.object({
      path: z.string(),
      state: z.enum(['would-remove', 'removed', 'outside', 'missing', 'failed']),
    }),
  ),
});
export type GdprEraseResult = z.infer<typeof GdprEraseResult>;

export const GdprErasuresInput = z.object({ serverId: Id }).strict();
export type GdprErasuresInput = z.infer<typeof GdprErasuresInput>;

/** One erasure of the server's ledger (bucket), as verified by the app. */
export const GdprErasureStatus = z.object({
  erasureId: z.string(),
  erasedAt: z.string(),
  database: z.string(),
  /** `schema.table` of every target (rows deleted or personal columns cleared). */
  tables: z.array(z.string()),
  /** The day it is final in every backup at the latest (retention rolled over). */
  hardDeleteDue: z.string(),
  /**
   * Set once the agent's retention run found no retained point older than the erasure (its mark
   * verified against the agent key pinned at install); null until then.
   */
  final: z.object({ at: z.string(), oldestRetained: z.string().nullable() }).nullable(),
});
export type GdprErasureStatus = z.infer<typeof GdprErasureStatus>;

export const GdprErasuresResult = z.object({
  erasures: z.array(GdprErasureStatus),
  /** Ledger objects that are no entry the app signed for this server (never replayed). */
  refused: z.array(z.object({ key: z.string(), why: z.string() })),
});
export type GdprErasuresResult = z.infer<typeof GdprErasuresResult>;
