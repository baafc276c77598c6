import { z } from 'zod';
import { PointNote } from '../agent/point';
import { Id } from './domain';

/** `point.create`: a recovery point now, on the server's agent (issue 21 §1). */
export const PointCreateInput = z
  .object({
    serverId: Id,
    /** The admin's note (CLI `--label`), signed into the point's manifest by the agent. */
    note: PointNote.optional(),
    /**
     * Heal first (issue 21 §2): restic rebuilds its index, so data a lost pack held is
     * uploaded again by this point's backup (`kumiko point heal`, Heal in the console).
     */
    heal: z.boolean().optional(),
  })
  .strict();
export type PointCreateInput = z.infer<typeof PointCreateInput>;

/** The result of a `point.create` job: the new point as the agent reported it. */
export const PointCreateResult = z.object({
  serverId: Id,
  /** The pgBackRest backup label (the point's id on the timeline and in restores). */
  label: z.string(),
  /** Restorable from this moment on (the backup's end). */
  at: z.string().datetime({ offset: true }),
  type: z.enum(['full', 'diff', 'incr']),
  note: z.string().nullable(),
  manifestKey: z.string(),
  sha256: z.string(),
  seconds: z.number(),
  /** Whether the app's catalog listed the point (signed manifest read back) when the job ended. */
  inCatalog: z.boolean(),
});
export type PointCreateResult = z.infer<typeof PointCreateResult>;
