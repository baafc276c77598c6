import { z } from 'zod';
import { progressLines, progressSchema } from './progress-line';

/**
 * Practiced restore (issue 5), as agreed between the agent that runs a drill and the app that
 * starts one or collects its report. The drill itself always runs in the agent on the server
 * (`kumiko-agent drill`), scheduled or started by the app over SSH, so one implementation
 * produces every report and nothing depends on the admin's laptop being open.
 */

/** One admin-defined SQL check run against the restored database (issue 5 §1). */
export const SmokeCheck = z
  .object({
    /** Shown in the report ("Open invoices exist"). */
    name: z.string().trim().min(1).max(200),
    /** Database to run it in; default the one the server's app uses (`postgres` if unknown). */
    database: z.string().trim().min(1).max(63).default('postgres'),
    /**
     * One read-only query; its first column of the first row is compared. It runs in the
     * throwaway cluster as a role without superuser rights that reads all data, read-only, as
     * exactly one statement (the app refuses several when saving, see smoke-sql.ts; the server
     * refuses them anyway, as the agent sends the check with the extended query protocol), with
     * drill.smokeCheckTimeoutSeconds.
     */
    sql: z.string().trim().min(1).max(4000),
    /** How the first value must compare: equal to `value`, or at least / at most a number. */
    expect: z.enum(['equals', 'atLeast', 'atMost']).default('equals'),
    value: z.string().max(1000),
  })
  .strict();
export type SmokeCheck = z.infer<typeof SmokeCheck>;

/** The `drill` section of the agent config (defaults: quarterly, no smoke checks). */
export const DrillSettings = z
  .object({
    /** Scheduled drills: every this many seconds (default 91 days, i.e. quarterly); 0 = off. */
    intervalSeconds: z
      .number()
      .int()
      .min(0)
      .default(91 * 86_400),
    /** Port of the throwaway cluster; 0 = a free port in 55432-55999 (scanned from a random place). */
    port: z.number().int().min(0).max(65_535).default(0),
    /** Parent folder of the throwaway environment (its data directory and restored files). */
    scratchRoot: z.string().min(1).default('/var/lib/kumiko-agent/drills'),
    /** Share of the restic repository's data read back by `restic check --read-data-subset`. */
    resticReadPercent: z.number().min(0.1).max(100).default(5),
    /**
     * pg_amcheck with --heapallindexed: every heap tuple must also be found in each of its
     * B-tree indexes. Catches more (an index missing entries) but costs several seconds per GB
     * and dominated the RTO, so it is off by default: pg_amcheck then checks the heap and the
     * B-tree structure only (which still reads every page).
     */
    amcheckHeapAllIndexed: z.boolean().default(false),
    smokeChecks: z.array(SmokeCheck).max(50).default([]),
    /**
     * Each smoke check's statement_timeout: one that runs longer is cancelled and fails (they
     * run in the throwaway cluster, inside the drill's RTO).
     */
    smokeCheckTimeoutSeconds: z.number().int().min(1).max(3600).default(60),
  })
  .strict();
export type DrillSettings = z.infer<typeof DrillSettings>;

/** Phases of a drill, in order; progress lines and the UI name them. */
export const DRILL_PHASES = [
  'prepare',
  'restore',
  'start',
  'verify',
  'files',
  'cleanup',
  'repository',
  'report',
] as const;
export const DrillPhase = z.enum(DRILL_PHASES);
export type DrillPhase = z.infer<typeof DrillPhase>;

/**
 * A progress line. `kumiko-agent drill --progress` writes each as one stderr line
 * `@progress <json>` (stdout stays the final result); the app turns them into job progress.
 */
export const DrillProgress = progressSchema(DRILL_PHASES);
export type DrillProgress = z.infer<typeof DrillProgress>;
export const DRILL_PROGRESS_PREFIX = '@progress ';
const drillLines = progressLines(DRILL_PROGRESS_PREFIX, DrillProgress);
/** Formats one progress line (without the newline). */
export const drillProgressLine = drillLines.format;
/** Parses a stderr line; null for anything that is not a valid progress line (log lines). */
export const parseDrillProgressLine = drillLines.parse;

/**
 * What `kumiko-agent drill` prints on stdout (JSON) when it got as far as writing a report:
 * exit code 0 when the drill passed, 5 when it ran and a check failed (the report, with the
 * evidence, is in the bucket either way). Any other exit code: no report, the reason on stderr.
 */
export const DrillRunSummary = z
  .object({
    drillId: z.string(),
    passed: z.boolean(),
    failedChecks: z.array(z.string()),
    rtoSeconds: z.number().nullable(),
    rpoSeconds: z.number(),
    /** Bucket key prefix of the bundle: kumiko/<serverId>/drills/<drillId>/ */
    bundlePrefix: z.string(),
    /** SHA-256 of the bundle's MANIFEST.sha256 (the next report's chain link). */
    manifestSha256: z.string(),
  })
  .strict();
export type DrillRunSummary = z.infer<typeof DrillRunSummary>;
export const DRILL_EXIT_FAILED_CHECKS = 5;

/** Drill ids sort by time and are safe folder names: `drill-20261127T031500Z`. */
export function drillIdFor(startedAt: Date): string {
  return `drill-${startedAt
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '')}`;
}
