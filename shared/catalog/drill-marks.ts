import { said, type Said } from '../contract/phrases';
import type { CatalogEvent, RecoveryPointDrill } from '../contract/recovery';
import type { DrillReportInput } from './model';

/**
 * What drills say about each recovery point (issue 14): "proven", "failed drill" or "never
 * drilled", the drill events on the timeline, and the restore-plan warning. Pure.
 *
 * The newest drill of a point decides, among the reports that count: a report whose signature
 * verified against the pinned agent key counts either way; one that did not verify (no key
 * pinned, no signature yet, or an invalid one) counts only when it failed. A claimed failure is
 * a reason to look and costs nothing if false; a claimed pass that nobody can check must never
 * make a point look proven.
 */

/** Longest failed-check reason kept per check (the report has the whole text). */
const DETAIL_MAX = 300;

/** The mark of a recovery point no drill has restored. */
export const NEVER_DRILLED: RecoveryPointDrill = {
  mark: 'never-drilled',
  drillId: null,
  at: null,
  failedChecks: [],
  verified: false,
  unverifiedPasses: 0,
};

const iso = (t: string): string => new Date(t).toISOString();

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > DETAIL_MAX ? `${line.slice(0, DETAIL_MAX - 1)}…` : line;
}

function byStart(a: DrillReportInput, b: DrillReportInput): number {
  const d = Date.parse(a.startedAt) - Date.parse(b.startedAt);
  return d !== 0 ? d : a.drillId < b.drillId ? -1 : a.drillId > b.drillId ? 1 : 0;
}

const verified = (r: DrillReportInput): boolean => r.signature === 'valid';

/** The mark of every recovery point some report names, by backup label. */
export function drillMarks(reports: readonly DrillReportInput[]): Map<string, RecoveryPointDrill> {
  const byLabel = new Map<string, DrillReportInput[]>();
  for (const r of reports) {
    const list = byLabel.get(r.backupLabel) ?? [];
    list.push(r);
    byLabel.set(r.backupLabel, list);
  }
  const marks = new Map<string, RecoveryPointDrill>();
  for (const [label, list] of byLabel) {
    const sorted = [...list].sort(byStart);
    const unverifiedPasses = sorted.filter((r) => r.passed && !verified(r)).length;
    const last = sorted.filter((r) => verified(r) || !r.passed).at(-1);
    marks.set(
      label,
      last
        ? {
            mark: last.passed ? 'proven' : 'failed',
            drillId: last.drillId,
            at: iso(last.startedAt),
            failedChecks: last.passed
              ? []
              : last.failedChecks.map((c) => ({ id: c.id, detail: oneLine(c.detail) })),
            verified: verified(last),
            unverifiedPasses,
          }
        : { ...NEVER_DRILLED, unverifiedPasses },
    );
  }
  return marks;
}

/** Every drill report as a timeline event (a pass that did not verify shows as neither). */
export function drillEvents(reports: readonly DrillReportInput[]): CatalogEvent[] {
  return reports.map((r) => {
    const outcome = r.passed
      ? 'passed'
      : `FAILED (${r.failedChecks.map((c) => c.id).join(', ') || 'a check'})`;
    const trust = verified(r) ? '' : ' (report signature not verified)';
    return {
      kind: 'drill',
      at: iso(r.finishedAt),
      title: `Restore drill ${r.drillId} of recovery point ${r.backupLabel}: ${outcome}${trust}`,
      ok: verified(r) || !r.passed ? r.passed : null,
    };
  });
}

/** The failed checks in one sentence part: `id: why; id: why`. */
export function failedChecksText(drill: RecoveryPointDrill): string {
  return drill.failedChecks.map((c) => (c.detail ? `${c.id}: ${c.detail}` : c.id)).join('; ');
}

/**
 * The warning for a restore plan that starts from recovery point `label`: its last drill failed
 * (strong), or it was never drilled (mild); null when it is proven or nothing is known.
 */
export function drillWarning(label: string, drill: RecoveryPointDrill | undefined): Said | null {
  if (!drill || drill.mark === 'proven') return null;
  if (drill.mark === 'failed') {
    const trust = drill.verified
      ? ''
      : ' (its report does not verify against the pinned agent key; check it)';
    // The checks by id (the console words known ids); their reasons stay in the drill report.
    const checks = drill.failedChecks.map((c) => c.id).join(', ');
    return said(
      `The last drill of recovery point ${label} (${drill.drillId}, ${drill.at}) failed: ` +
        `${failedChecksText(drill) || 'a check failed'}${trust}. ` +
        'Restoring it may fail or bring back wrong data: read that drill report first.',
      drill.verified ? 'plan.drillFailed' : 'plan.drillFailedUnverified',
      {
        label,
        drillId: drill.drillId ?? '',
        startedAt: drill.at ?? '',
        checks,
        checkCount: drill.failedChecks.length,
      },
    );
  }
  const unverified =
    drill.unverifiedPasses > 0
      ? ` (${drill.unverifiedPasses} passed drill report(s) of it do not verify against the pinned agent key)`
      : '';
  return said(
    `Recovery point ${label} was never drilled: no practised restore has shown that it restores${unverified}.`,
    drill.unverifiedPasses > 0 ? 'plan.neverDrilledUnverified' : 'plan.neverDrilled',
    drill.unverifiedPasses > 0 ? { label, count: drill.unverifiedPasses } : { label },
  );
}
