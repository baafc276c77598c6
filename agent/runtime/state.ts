import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-file';

const RecoveryPointRecord = z.object({
  label: z.string(),
  /** When the backup finished (ISO). */
  at: z.string(),
  ok: z.boolean(),
  tier: z.string().optional(),
  manifestKey: z.string().optional(),
});

/** The newest drill whose report reached the bucket: the next report chains to it. */
const DrillRecord = z.object({
  drillId: z.string(),
  /** When it started and finished (ISO). */
  startedAt: z.string(),
  at: z.string(),
  passed: z.boolean(),
  failedChecks: z.array(z.string()).default([]),
  /** The recovery point it restored (absent from states before issue 14). */
  backupLabel: z.string().nullable().optional(),
  /** The first failed check and why, in one line (null when it passed). */
  failure: z.string().nullable().optional(),
  /** SHA-256 of its MANIFEST.sha256, and its place in the chain. */
  manifestSha256: z.string(),
  sequence: z.number().int().min(1),
});
export type DrillRecord = z.infer<typeof DrillRecord>;

/** What snapshot, retention and drill remember between runs (stateDir/state.json). */
export const AgentState = z.object({
  /** The newest recovery point taken (ok false: backup made, a later step failed). */
  lastRecoveryPoint: RecoveryPointRecord.nullable().default(null),
  /** The newest attempt: when it started and why it failed (null error = succeeded). */
  lastRecoveryPointAttempt: z
    .object({
      at: z.string(),
      ok: z.boolean(),
      error: z.string().nullable(),
      /** The new point's attached files depend on data gone from the bucket: heal offered. */
      filesMissing: z.boolean().optional(),
    })
    .nullable()
    .default(null),
  lastRetention: z
    .object({ at: z.string(), ok: z.boolean(), message: z.string() })
    .nullable()
    .default(null),
  lastDrill: DrillRecord.nullable().default(null),
  /** The newest drill attempt (ok: a report was written, passed or not; else why not). */
  lastDrillAttempt: z
    .object({ at: z.string(), ok: z.boolean(), error: z.string().nullable() })
    .nullable()
    .default(null),
  /**
   * When the daemon first scheduled drills: the first one is due an interval later, and a
   * restart does not push it back.
   */
  drillScheduleSince: z.string().nullable().default(null),
});
export type AgentState = z.infer<typeof AgentState>;

const EMPTY: AgentState = {
  lastRecoveryPoint: null,
  lastRecoveryPointAttempt: null,
  lastRetention: null,
  lastDrill: null,
  lastDrillAttempt: null,
  drillScheduleSince: null,
};

/** Reads state.json (an empty state when missing or corrupt). */
export function readState(file: string): AgentState {
  return readJsonFile(file, AgentState, EMPTY);
}

/**
 * Read-modify-write of state.json. Callers hold the repository lock (snapshot, retention,
 * drill), so two writers never interleave; the write itself is atomic for readers. (The daemon
 * records drillScheduleSince once without it: a read and a write microseconds apart.)
 */
export function updateState(file: string, change: (state: AgentState) => AgentState): AgentState {
  const next = change(readState(file));
  writeJsonFile(file, next);
  return next;
}
