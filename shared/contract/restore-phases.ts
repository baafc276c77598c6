// Plain data without zod, so the renderer can import it without pulling in the schemas.

/** The phases of a restore job, in the order it runs them (the wizard lists them). */
export const RESTORE_PHASES = ['plan', 'download', 'replay', 'verify', 'files'] as const;
export type RestorePhase = (typeof RESTORE_PHASES)[number];
