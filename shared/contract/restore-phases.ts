// Plain data without zod, so the renderer can import it without pulling in the schemas.

/** The phases of a restore job, in the order it runs them (the wizard lists them). */
export const RESTORE_PHASES = ['plan', 'download', 'replay', 'verify', 'files'] as const;
export type RestorePhase = (typeof RESTORE_PHASES)[number];

/**
 * The phases of a restore over production (job kind `restore.production`): resolve the target,
 * take the safety snapshot, stop PostgreSQL, restore the base backup over its data directory,
 * replay WAL to the target, verify, then start PostgreSQL as it ran and see capture go on.
 */
export const PRODUCTION_RESTORE_PHASES = [
  'plan',
  'safety-snapshot',
  'stop',
  'restore',
  'replay',
  'verify',
  'start-capture',
] as const;
export type ProductionRestorePhase = (typeof PRODUCTION_RESTORE_PHASES)[number];
