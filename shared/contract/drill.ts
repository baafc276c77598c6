import { z } from 'zod';
import { DRILL_PHASES, SmokeCheck } from '../agent/drill';
import { SMOKE_SQL_MESSAGES, smokeSqlProblem } from '../agent/smoke-sql';
import { DrillResult } from '../report/drill-result';
import { DRILL_JOB_PHASES } from './drill-phases';
import { Id } from './domain';
import { DrillReportEntry } from './reports';

// Practiced restore from the app (issue 5): start a drill on the server's agent, see the
// history and schedule, collect reports the agent ran on its own, edit the drill settings.

const Iso = z.string().datetime({ offset: true });

// The job lists the agent's phases and adds `archive`; a change on either side fails the build.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agentPhasesMatch: Same<
  (typeof DRILL_PHASES)[number] | 'archive',
  (typeof DRILL_JOB_PHASES)[number]
> = true;
void agentPhasesMatch;

export const DrillServerInput = z.object({ serverId: Id }).strict();

/** Scheduled drills at most every 400 days; 0 switches them off. */
export const DrillIntervalSeconds = z
  .number()
  .int()
  .min(0)
  .max(400 * 86_400);

/** What the Drills page shows: archived history, the agent's schedule and settings. */
export const DrillOverview = z.object({
  serverId: z.string(),
  /** Archived reports, newest first. */
  reports: z.array(DrillReportEntry),
  /** When the agent's daemon runs its next drill; null when unknown or switched off. */
  nextDrillAt: Iso.nullable(),
  /** Where nextDrillAt came from: the agent asked over SSH, its last heartbeat in the bucket, or nowhere. */
  scheduleSource: z.enum(['server', 'bucket', 'none']),
  /** The `drill` section of the agent's config; null when the server could not be read. */
  intervalSeconds: z.number().int().nullable(),
  smokeChecks: z.array(SmokeCheck).nullable(),
  /** pg_amcheck with --heapallindexed (the deep index check); null when unknown. */
  amcheckHeapAllIndexed: z.boolean().nullable(),
  /** Why the settings are unknown (server unreachable …); null when they were read. */
  settingsError: z.string().nullable(),
});
export type DrillOverview = z.infer<typeof DrillOverview>;

/** A bundle found in the bucket that was not archived: it does not verify or break the chain. */
export const RefusedReport = z.object({
  drillId: z.string(),
  code: z.string(),
  message: z.string(),
  problems: z.array(z.string()),
});
export type RefusedReport = z.infer<typeof RefusedReport>;

export const DrillSyncResult = z.object({
  /** Bundles verified and archived by this call. */
  imported: z.number().int(),
  importedDrillIds: z.array(z.string()),
  /** Bundles that failed verification: reported, never archived. */
  refused: z.array(RefusedReport),
  /** Bundles still being uploaded by the agent: tried again on the next sync. */
  pending: z.array(z.string()),
});
export type DrillSyncResult = z.infer<typeof DrillSyncResult>;

/**
 * A smoke check as the app saves it: its SQL exactly one statement. The first line of defence
 * only; the agent runs each check so that the server refuses several statements anyway.
 */
export const SavedSmokeCheck = SmokeCheck.superRefine((check, ctx) => {
  const problem = smokeSqlProblem(check.sql);
  if (problem)
    ctx.addIssue({ code: 'custom', path: ['sql'], message: SMOKE_SQL_MESSAGES[problem] });
});

export const DrillSettingsInput = z
  .object({
    serverId: Id,
    intervalSeconds: DrillIntervalSeconds,
    smokeChecks: z.array(SavedSmokeCheck).max(50),
    /**
     * pg_amcheck with --heapallindexed (slower: several seconds per GB, inside the RTO).
     * Left out: the agent keeps what its config has (off unless set).
     */
    amcheckHeapAllIndexed: z.boolean().optional(),
  })
  .strict();
export type DrillSettingsInput = z.input<typeof DrillSettingsInput>;

export const DrillSettingsResult = z.object({
  intervalSeconds: z.number().int(),
  smokeChecks: z.array(SmokeCheck),
  amcheckHeapAllIndexed: z.boolean(),
  /**
   * The daemon reads its config when it starts: `restarted` when the app restarted it so the
   * schedule applies now; `deferred` when it was busy (a backup or drill running) and the new
   * schedule applies from its next start. Drills started from the app use the new smoke checks
   * either way.
   */
  scheduler: z.enum(['restarted', 'deferred', 'not-running']),
  message: z.string(),
});
export type DrillSettingsResult = z.infer<typeof DrillSettingsResult>;

export const ReportRef = z
  .object({ serverId: Id, drillId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/) })
  .strict();

/**
 * The PDF of an archived report: without `language` the bundle's signed report.pdf (German and
 * English); with it a reading copy in that language alone, made from the signed report.json.
 */
export const ReportPdfInput = ReportRef.extend({ language: z.enum(['de', 'en']).optional() });

/** One archived report for people: the index entry and the drill from its signed report.json. */
export const ReportDetail = z.object({
  entry: DrillReportEntry,
  drill: DrillResult,
  /** allowed_signers principal of the primary signature. */
  signerPrincipal: z.string(),
  evidence: z.array(z.object({ name: z.string(), bytes: z.number().int() })),
});
export type ReportDetail = z.infer<typeof ReportDetail>;

/** The report's PDF, base64, so the renderer can offer it in both transports without file access. */
export const ReportPdf = z.object({
  fileName: z.string(),
  base64: z.string(),
  bytes: z.number().int(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ReportPdf = z.infer<typeof ReportPdf>;
