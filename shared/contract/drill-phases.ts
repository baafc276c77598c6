// Plain data without zod, so the renderer can import it without pulling in the schemas.

/**
 * The drill job's phases, in order: the agent's own drill phases (shared/agent/drill.ts
 * DRILL_PHASES, reported by `kumiko-agent drill --progress`), then `archive`, in which the app
 * downloads the signed report from the bucket, verifies it and archives it. contract/drill.ts
 * checks at compile time that the agent's list is the same.
 */
export const DRILL_JOB_PHASES = [
  'prepare',
  'restore',
  'start',
  'verify',
  'files',
  'cleanup',
  'repository',
  'report',
  'archive',
] as const;
export type DrillJobPhase = (typeof DRILL_JOB_PHASES)[number];

/** The job kind of a drill started from the app (the renderer finds running drills by it). */
export const DRILL_JOB_KIND = 'drill.start';
