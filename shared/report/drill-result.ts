import { z } from 'zod';
import { PgBackRestLabel } from '../agent/manifest';
import { isEvidenceName } from './bundle-layout';
import { CheckWord, MAX_CHECK_WORDS } from './check-words';

/**
 * A finished drill (issue 5): what was restored, how long it took, every check with its
 * evidence. The drill job (app or agent) produces it; the report bundle writer turns it into
 * report.json and report.pdf. Times are ISO 8601 with offset (UTC from our writers).
 */

const Iso = z.string().datetime({ offset: true });
const Seconds = z.number().finite().nonnegative();

/**
 * An id that is safe as one folder name: drill and server ids name folders in the bucket, the
 * app's archive and the export zip, and appear in chain file paths.
 */
export const SafeId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be letters, digits, ".", "_" or "-"');

/** The checks a drill runs (issue 5 §1); titles and control mappings know these ids. */
export const KNOWN_CHECK_IDS = [
  'cluster-starts',
  'amcheck',
  'manifest-match',
  'files-hash',
  'restic-check',
  'pgbackrest-verify',
  'smoke-checks',
  'gdpr-ledger-replay',
  'bucket-protection',
] as const;
export type KnownCheckId = (typeof KNOWN_CHECK_IDS)[number];

/**
 * Checks a drill reports that do not decide whether it passed: `bucket-protection` (issue 15
 * §3: can the agent's key destroy backups?) is about keeping the backups, not about getting
 * this one back. It is shown as failed when the bucket is not fully protected, and has its own
 * status tile; a drill that restored everything still passes.
 */
export const ADVISORY_CHECK_IDS: readonly string[] = ['bucket-protection'];

/** Whether a check's outcome decides the drill's (every check but the advisory ones). */
export function decidesDrill(check: Pick<DrillCheck, 'id'>): boolean {
  return !ADVISORY_CHECK_IDS.includes(check.id);
}

/** A drill passed when every check that decides it passed. */
export function drillPassed(checks: readonly Pick<DrillCheck, 'id' | 'passed'>[]): boolean {
  return checks.every((c) => c.passed || !decidesDrill(c));
}

/** Kebab-case; not limited to {@link KNOWN_CHECK_IDS} so a drill can add checks later. */
export const CheckId = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'check ids are kebab-case');

export const DrillCheck = z
  .object({
    id: CheckId,
    /** Shown as the check's heading in the PDF. */
    title: z.string().trim().min(1).max(200),
    passed: z.boolean(),
    /** One or a few sentences: what was compared and what came out (the "why" of a failure). */
    detail: z.string().max(4000),
    /**
     * The detail as codes with parameters, worded in German or English by the console and the
     * PDF (check-words.ts). Absent in reports signed before them: those show `detail`.
     */
    words: z.array(CheckWord).max(MAX_CHECK_WORDS).optional(),
    /** Names of evidence files (relative to `evidence/`) that back this check. */
    evidence: z.array(z.string().refine(isEvidenceName, 'not a safe evidence file name')).max(50),
  })
  .strict();
export type DrillCheck = z.infer<typeof DrillCheck>;

/** What the drill restored. */
export const RestoredData = z
  .object({
    /** The pgBackRest backup the restore started from. */
    backupLabel: PgBackRestLabel,
    /** The point-in-time target; null = the newest restorable moment (end of WAL). */
    targetTime: Iso.nullable(),
    /** restic snapshot of the attached files; null when the server has none. */
    resticSnapshotId: z
      .string()
      .regex(/^[0-9a-f]{8,64}$/)
      .nullable(),
    /** Size of the restored database cluster. */
    databaseBytes: z.number().int().nonnegative(),
    /** Size of the restored attached files; null without attached files. */
    attachedFilesBytes: z.number().int().nonnegative().nullable(),
  })
  .strict();
export type RestoredData = z.infer<typeof RestoredData>;

const DrillResultFields = z
  .object({
    drillId: SafeId,
    server: z.object({ id: SafeId, name: z.string().trim().min(1).max(200) }).strict(),
    startedAt: Iso,
    finishedAt: Iso,
    /** True only if every check passed. */
    passed: z.boolean(),
    /** Measured RTO: drill start until the restore was verified; null when it never was. */
    rtoSeconds: Seconds.nullable(),
    /** Measured RPO: age of the newest restorable moment when the drill started. */
    rpoSeconds: Seconds,
    /** The newest restorable moment the RPO was measured from. */
    newestRestorableAt: Iso,
    restored: RestoredData,
    /** Where the throwaway environment ran, for people (e.g. "db1, port 55432"). */
    environment: z.string().max(200).optional(),
    checks: z.array(DrillCheck).min(1).max(100),
    /** Who ran the drill and signs its report: the agent (scheduled) or the app. */
    signer: z.enum(['agent', 'app']),
    software: z
      .object({ app: z.string().max(40).nullable(), agent: z.string().max(40).nullable() })
      .strict(),
  })
  .strict();
type DrillResultFields = z.infer<typeof DrillResultFields>;

export const DrillResult = DrillResultFields.superRefine((drill, ctx) => {
  for (const problem of drillResultProblems(drill)) {
    ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  }
});
export type DrillResult = z.infer<typeof DrillResult>;

/** Consistency rules the field types cannot say (a report must never contradict itself). */
function drillResultProblems(
  drill: DrillResultFields,
): { message: string; path: (string | number)[] }[] {
  const out: { message: string; path: (string | number)[] }[] = [];
  if (Date.parse(drill.finishedAt) < Date.parse(drill.startedAt)) {
    out.push({ message: 'finishedAt is before startedAt', path: ['finishedAt'] });
  }
  const allPassed = drillPassed(drill.checks);
  if (drill.passed !== allPassed) {
    out.push({
      message: drill.passed ? 'passed, but a check failed' : 'failed, but every check passed',
      path: ['passed'],
    });
  }
  if (drill.passed && drill.rtoSeconds === null) {
    out.push({ message: 'a passed drill has a measured RTO', path: ['rtoSeconds'] });
  }
  const seen = new Set<string>();
  drill.checks.forEach((check, i) => {
    if (seen.has(check.id))
      out.push({ message: `duplicate check ${check.id}`, path: ['checks', i] });
    seen.add(check.id);
  });
  return out;
}

/** Every evidence name the checks refer to, once each. */
export function referencedEvidence(drill: DrillResult): string[] {
  return [...new Set(drill.checks.flatMap((c) => c.evidence))];
}
