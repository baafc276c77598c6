// Plain data without zod, so the renderer can import it without pulling in the schemas.

/**
 * The agent install job's phases, in the order the installer runs them: the job reports
 * them as `phase`, the wizard lists them (and what is still to come).
 */
export const AGENT_INSTALL_PHASES = [
  'preflight',
  'packages',
  // Reported only when the server has no Node.js >= 18: the app uploads one.
  'runtime',
  'files',
  'stanza',
  'archiving',
  'check',
  'restic',
  'first-backup',
  'schedule',
  'verify',
] as const;
export type AgentInstallPhase = (typeof AGENT_INSTALL_PHASES)[number];
