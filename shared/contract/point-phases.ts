// Plain data without zod, so the renderer can import it without pulling in the schemas.

/**
 * The phases of a recovery point taken on demand (job kind `point.create`), in order: the
 * agent's own (`kumiko-agent snapshot --progress`: pgBackRest's backup with the table
 * checksums beside it, restic's attached files, the signed manifest), then `catalog`, in which
 * the app reads the bucket again until the new point is in its catalog.
 */
export const POINT_AGENT_PHASES = ['backup', 'files', 'manifest'] as const;
export const POINT_JOB_PHASES = [...POINT_AGENT_PHASES, 'catalog'] as const;
/**
 * Healing a point's attached files (issue 21 §2, `point.create` with heal): restic rebuilds its
 * index first (beside the database backup), then the point is taken as always.
 */
export const POINT_HEAL_JOB_PHASES = ['heal', ...POINT_JOB_PHASES] as const;
export type PointJobPhase = (typeof POINT_HEAL_JOB_PHASES)[number];

/** The job kind of a recovery point taken from the app (the renderer finds running ones by it). */
export const POINT_JOB_KIND = 'point.create';

/** The longest note an admin can store with a recovery point (characters). */
export const POINT_NOTE_MAX = 200;

/**
 * A note is one line of printable characters: no control, format (bidi overrides among them)
 * or line/paragraph separator characters. Checked by the contract and, as you type, by the
 * console.
 */
export const POINT_NOTE_PATTERN = /^[^\p{C}\p{Zl}\p{Zp}]+$/u;

/** Why a note is refused, or null when it is fine (the console's check as you type). */
export function pointNoteProblem(note: string): 'empty' | 'long' | 'characters' | null {
  const text = note.trim();
  if (!text) return 'empty';
  if (text.length > POINT_NOTE_MAX) return 'long';
  return POINT_NOTE_PATTERN.test(text) ? null : 'characters';
}
