import type { Job } from '../../shared/contract/domain';
import type {
  RecoveryTarget,
  RestoreDestination,
  RestoreRequest,
  ScratchEnvironment,
} from '../../shared/contract/recovery';
import { RESTORE_PHASES } from '../../shared/contract/restore-phases';
import type { MessageKey } from '../app/i18n/translate';

/**
 * The restore wizard's pure parts: steps, what the admin picked (as drafts that may still be
 * incomplete), the request they become, and how a restore job and its result are recognised.
 */

export const RESTORE_STEPS = ['target', 'destination', 'summary', 'run', 'result'] as const;
export type RestoreStep = (typeof RESTORE_STEPS)[number];

export function restoreStepIndex(step: RestoreStep): number {
  return RESTORE_STEPS.indexOf(step);
}

/** What to restore, while it is being chosen: a moment may not be typed in yet. */
export type TargetDraft =
  | { kind: 'time'; time: number | null }
  | { kind: 'point'; label: string | null }
  | { kind: 'latest' };

/** Where to: the other host may not be chosen yet. */
export type DestinationDraft = { kind: 'scratch' } | { kind: 'host'; serverId: string | null };

/** Scratch environments are removed after this many hours unless the admin says otherwise. */
export const DEFAULT_KEEP_HOURS = 24;
export const MAX_KEEP_HOURS = 24 * 90;

/** Why the target cannot be used yet, or null. */
export function targetProblem(target: TargetDraft): MessageKey | null {
  if (target.kind === 'time' && target.time === null) return 'restore.error.time';
  if (target.kind === 'point' && !target.label) return 'restore.error.point';
  return null;
}

export function destinationProblem(destination: DestinationDraft): MessageKey | null {
  if (destination.kind === 'host' && !destination.serverId) return 'restore.error.host';
  return null;
}

/** Whole hours 0 … 2160 (0 = keep until dropped), or null. */
export function parseKeepHours(text: string): number | null {
  const s = text.trim();
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n <= MAX_KEEP_HOURS ? n : null;
}

export function toRecoveryTarget(target: TargetDraft): RecoveryTarget | null {
  switch (target.kind) {
    case 'time':
      return target.time === null
        ? null
        : { kind: 'time', time: new Date(Math.round(target.time / 1000) * 1000).toISOString() };
    case 'point':
      return target.label ? { kind: 'point', label: target.label } : null;
    case 'latest':
      return { kind: 'latest' };
  }
}

export function toDestination(destination: DestinationDraft): RestoreDestination | null {
  if (destination.kind === 'scratch') return { kind: 'scratch' };
  return destination.serverId ? { kind: 'host', serverId: destination.serverId } : null;
}

/** The request for restore.plan / restore.start, or null while a choice is missing. */
export function toRestoreRequest(
  serverId: string,
  target: TargetDraft,
  destination: DestinationDraft,
): RestoreRequest | null {
  const t = toRecoveryTarget(target);
  const d = toDestination(destination);
  return t && d ? { serverId, target: t, destination: d } : null;
}

/** The restore job's phases as the contract lists them. */
export const RESTORE_JOB_PHASES: readonly string[] = RESTORE_PHASES;

/** Whether a job is a restore of this server (to pick it up again after a reload). */
export function isRestoreJobOf(job: Job, serverId: string): boolean {
  return isRestoreJob(job) && job.subjectId === serverId;
}

export function isRestoreJob(job: Pick<Job, 'kind'>): boolean {
  return job.kind === 'restore.start' || job.kind === 'restore';
}

const CHECK_NAMES = new Set([
  'consistent',
  'promoted',
  'stopped-at-target',
  'manifest-match',
  'files',
  'gdpr-ledger',
]);

/**
 * The scratch environment a finished restore job reports as its result, when it does. The
 * contract leaves a job's result open, so its shape is checked before it is used.
 */
export function scratchFromJobResult(result: unknown): ScratchEnvironment | null {
  if (!result || typeof result !== 'object') return null;
  const r = result as Record<string, unknown>;
  const candidate = (
    r.scratch && typeof r.scratch === 'object' ? r.scratch : r
  ) as Partial<ScratchEnvironment>;
  if (
    typeof candidate.id !== 'string' ||
    typeof candidate.dataDirectory !== 'string' ||
    typeof candidate.port !== 'number' ||
    typeof candidate.host !== 'string' ||
    !Array.isArray(candidate.checks) ||
    !candidate.checks.every(
      (c) =>
        c !== null &&
        typeof c === 'object' &&
        CHECK_NAMES.has(String((c as { name?: unknown }).name)) &&
        typeof (c as { ok?: unknown }).ok === 'boolean',
    )
  )
    return null;
  return candidate as ScratchEnvironment;
}

/**
 * The scratch environment a restore job created, found in scratch.list when the job's result
 * does not carry it: the newest one restored from this server since the job started.
 */
export function scratchOfJob(
  list: readonly ScratchEnvironment[],
  job: Pick<Job, 'createdAt'>,
  serverId: string,
): ScratchEnvironment | null {
  const since = Date.parse(job.createdAt) - 5_000;
  const candidates = list
    .filter((s) => s.sourceServerId === serverId && Date.parse(s.createdAt) >= since)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return candidates[0] ?? null;
}

/** Whether every verification check passed (and there was at least one). */
export function allChecksPassed(scratch: Pick<ScratchEnvironment, 'checks'>): boolean {
  return scratch.checks.length > 0 && scratch.checks.every((c) => c.ok);
}
