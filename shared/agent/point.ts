import { z } from 'zod';
import { progressLines, progressSchema } from './progress-line';
import { POINT_AGENT_PHASES, POINT_NOTE_MAX, POINT_NOTE_PATTERN } from '../contract/point-phases';

// `kumiko-agent snapshot --progress [--note <text>]`: a recovery point on demand (issue 21 §1).
// The app runs it over SSH like a drill, relays its progress lines and reads its result.

/**
 * An admin's note stored with a recovery point ("before the 4.2 upgrade"). It goes into the
 * manifest the agent signs, so it is shown only as the agent wrote it; and it comes back from
 * the bucket as untrusted text: one line of printable characters (no control or format
 * characters, nothing that could reorder the text around it), trimmed, at most POINT_NOTE_MAX.
 */
export const PointNote = z
  .string()
  .trim()
  .min(1, 'the note is empty')
  .max(POINT_NOTE_MAX, `the note is longer than ${POINT_NOTE_MAX} characters`)
  .regex(POINT_NOTE_PATTERN, 'the note must be one line of printable characters');
export type PointNote = z.infer<typeof PointNote>;

export const PointProgress = progressSchema(['heal', ...POINT_AGENT_PHASES]);
export type PointProgress = z.infer<typeof PointProgress>;
export const POINT_PROGRESS_PREFIX = '@point ';
const pointLines = progressLines(POINT_PROGRESS_PREFIX, PointProgress);
/** Formats one progress line (without the newline) for stderr. */
export const pointProgressLine = pointLines.format;
/** Parses a stderr line; null for anything that is not a valid progress line. */
export const parsePointProgressLine = pointLines.parse;

/** What `kumiko-agent snapshot` prints on stdout (JSON). */
export const AgentSnapshotResult = z
  .object({
    label: z.string().regex(/^\d{8}-\d{6}F(?:_\d{8}-\d{6}[DI])?$/),
    /** When the backup finished: the point is restorable from here on. */
    at: z.string().datetime({ offset: true }),
    type: z.enum(['full', 'diff', 'incr']),
    tier: z.enum(['daily', 'weekly', 'monthly']),
    resticSnapshotId: z.string().nullable(),
    /**
     * How long the check that the attached files' snapshot is wholly stored took (s); null
     * without attached files, absent from agents before issue 21 §2.
     */
    filesCheckSeconds: z.number().nonnegative().nullable().optional(),
    manifestKey: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    tables: z.number().int().nonnegative(),
    seconds: z.number().nonnegative(),
    /** The admin's note as signed into the manifest; absent from agents before issue 21. */
    note: PointNote.nullable().optional(),
  })
  .strict();
export type AgentSnapshotResult = z.infer<typeof AgentSnapshotResult>;
