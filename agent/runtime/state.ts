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

/** What snapshot and retention remember between runs (stateDir/state.json). */
export const AgentState = z.object({
  /** The newest recovery point taken (ok false: backup made, a later step failed). */
  lastRecoveryPoint: RecoveryPointRecord.nullable().default(null),
  /** The newest attempt: when it started and why it failed (null error = succeeded). */
  lastRecoveryPointAttempt: z
    .object({ at: z.string(), ok: z.boolean(), error: z.string().nullable() })
    .nullable()
    .default(null),
  lastRetention: z
    .object({ at: z.string(), ok: z.boolean(), message: z.string() })
    .nullable()
    .default(null),
});
export type AgentState = z.infer<typeof AgentState>;

const EMPTY: AgentState = {
  lastRecoveryPoint: null,
  lastRecoveryPointAttempt: null,
  lastRetention: null,
};

/** Reads state.json (an empty state when missing or corrupt). */
export function readState(file: string): AgentState {
  return readJsonFile(file, AgentState, EMPTY);
}

/**
 * Read-modify-write of state.json. Callers hold the repository lock (snapshot, retention), so
 * two writers never interleave; the write itself is atomic for readers.
 */
export function updateState(file: string, change: (state: AgentState) => AgentState): AgentState {
  const next = change(readState(file));
  writeJsonFile(file, next);
  return next;
}
