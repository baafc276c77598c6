import { z } from 'zod';

// The parts of `pgbackrest info --output=json` (2.45) the agent reads. Unknown fields pass
// through untouched, so newer pgBackRest versions keep working.

/** One backup set. Times are epoch seconds; LSNs like `0/3000028`. */
export const PgBackRestBackup = z.object({
  label: z.string(),
  type: z.enum(['full', 'diff', 'incr']),
  /** The backup this one builds on (incr/diff), null for a full. */
  prior: z.string().nullable(),
  error: z.boolean().optional(),
  timestamp: z.object({ start: z.number(), stop: z.number() }),
  lsn: z.object({ start: z.string(), stop: z.string() }),
  archive: z.object({ start: z.string().nullable(), stop: z.string().nullable() }),
  info: z.object({
    size: z.number(),
    delta: z.number(),
    repository: z.object({ size: z.number(), delta: z.number() }),
  }),
});
export type PgBackRestBackup = z.infer<typeof PgBackRestBackup>;

/** WAL archive range of one PostgreSQL version/system id (`15-1`). */
export const PgBackRestArchive = z.object({
  id: z.string(),
  min: z.string().nullable(),
  max: z.string().nullable(),
});

export const PgBackRestStanzaInfo = z.object({
  name: z.string(),
  /** 0 ok, 1 missing stanza path, 2 no valid backups, 3 missing stanza data, …, 99 other. */
  status: z.object({ code: z.number(), message: z.string() }),
  repo: z
    .array(
      z.object({ key: z.number(), status: z.object({ code: z.number(), message: z.string() }) }),
    )
    .default([]),
  backup: z.array(PgBackRestBackup).default([]),
  archive: z.array(PgBackRestArchive).default([]),
  db: z.array(z.object({ id: z.number(), version: z.string() })).default([]),
});
export type PgBackRestStanzaInfo = z.infer<typeof PgBackRestStanzaInfo>;

export const PgBackRestInfoJson = z.array(PgBackRestStanzaInfo);
