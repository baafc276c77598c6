// Plain data without zod, so the renderer can import it without pulling in the schemas.

/**
 * The phases of a recovery point taken on demand (job kind `point.create`), in order: the
 * agent's own (`kumiko-agent snapshot --progress`: pgBackRest's backup with the table
 * checksums beside it, restic's attached files, the signed manifest), then `catalog`, in which
 * the app reads the bucket again until the new point is in its catalog.
 */
export const POINT_AGENT_PHASES = ['backup', 'files', 'manifest'] as const;
export const POINT_JOB_PHASES = [...POINT_AGENT_PHASES, 'catalog'] as const;
export type PointJobPhase = (typeof POINT_JOB_PHASES)[number];

/** The job kind of a recovery point taken from the app (the renderer finds running ones by it). */
export const POINT_JOB_KIND = 'point.create';

/** The longest note an admin can store with a recovery point (characters). */
export const POINT_NOTE_MAX = 200;
