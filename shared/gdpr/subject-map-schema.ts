import { z } from 'zod';

// The subject map's shape (issue 17 §1), shared by the app that builds it (node/gdpr/) and the
// console that shows and edits it. Built and explained in node/gdpr/subject-map.ts.

const Name = z.string().min(1).max(63);

/** One link: rows of the child table whose columns equal a mapped parent row's belong to the subject. */
export const MapLink = z
  .object({
    /** Stable within a map: the constraint's name, or `added:<n>` for a link the DPO added. */
    id: z.string().min(1).max(200),
    source: z.enum(['foreign-key', 'added']),
    childSchema: Name,
    childTable: Name,
    childColumns: z.array(Name).min(1).max(32),
    parentSchema: Name,
    parentTable: Name,
    parentColumns: z.array(Name).min(1).max(32),
    /** False: shown, but rows are not collected through it. */
    followed: z.boolean(),
    /** Why a link is not followed. */
    why: z.enum(['self-reference', 'excluded']).optional(),
  })
  .strict();
export type MapLink = z.infer<typeof MapLink>;

/** A mapped table and what an erasure does there. */
export const MappedTable = z
  .object({
    schema: Name,
    table: Name,
    /** delete: the subject's rows go; anonymise: the personal columns are set to NULL. */
    action: z.enum(['delete', 'anonymise']),
    personalColumns: z.array(Name).max(1600),
    /** Columns holding paths of attached files (exported with the data, removed on erasure). */
    fileColumns: z.array(Name).max(1600),
  })
  .strict();
export type MappedTable = z.infer<typeof MappedTable>;

export const SubjectMap = z
  .object({
    format: z.literal('kumiko-subject-map-1'),
    database: Name,
    root: z.object({ schema: Name, table: Name, column: Name }).strict(),
    /** The root first, then in the order they were reached. */
    tables: z.array(MappedTable).min(1).max(500),
    links: z.array(MapLink).max(2000),
    /** {@link schemaFingerprint} of the schema the map was made or last checked on. */
    schemaFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type SubjectMap = z.infer<typeof SubjectMap>;

/** What a DPO changes in a map; kept with it, so a rebuild on a changed schema keeps them. */
export const MapEdits = z
  .object({
    /** Link ids not to follow. */
    excluded: z.array(z.string().min(1).max(200)).max(2000).optional(),
    /** Self-references (or other links) to follow although they are not by default. */
    included: z.array(z.string().min(1).max(200)).max(2000).optional(),
    /** Links the schema does not declare. */
    added: z
      .array(
        MapLink.pick({
          childSchema: true,
          childTable: true,
          childColumns: true,
          parentSchema: true,
          parentTable: true,
          parentColumns: true,
        }),
      )
      .max(100)
      .optional(),
    /** Per table `schema.table`: the action and the marked columns, replacing the guesses. */
    tables: z
      .record(
        z.string().min(3).max(127),
        MappedTable.pick({ action: true, personalColumns: true, fileColumns: true }).partial(),
      )
      .optional(),
  })
  .strict();
export type MapEdits = z.infer<typeof MapEdits>;
