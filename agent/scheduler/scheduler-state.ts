import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../runtime/json-file';
import { isAlive } from '../runtime/pid';

/** What the running daemon plans next (stateDir/scheduler.json), for heartbeat and status. */
export const SchedulerState = z.object({
  /** systemd when the daemon runs as a systemd service, else its own supervised daemon. */
  mode: z.enum(['systemd', 'daemon']),
  pid: z.number(),
  startedAt: z.string(),
  nextSnapshotAt: z.string().nullable(),
  nextRetentionAt: z.string().nullable(),
  nextHeartbeatAt: z.string().nullable(),
  /** Next scheduled drill; null when drills are off (files from before issue 5 have none). */
  nextDrillAt: z.string().nullable().default(null),
});
export type SchedulerState = z.infer<typeof SchedulerState>;

/** Reads scheduler.json; null when no daemon ever ran. */
export function readSchedulerState(file: string): SchedulerState | null {
  return readJsonFile(file, SchedulerState.nullable(), null);
}

export function writeSchedulerState(file: string, state: SchedulerState): void {
  writeJsonFile(file, state);
}

/**
 * The heartbeat's view of the scheduler: mode, whether the daemon is alive, next snapshot and
 * next drill (both null when no daemon runs to start them).
 */
export function schedulerView(file: string): {
  mode: 'systemd' | 'daemon';
  running: boolean;
  nextSnapshotAt: string | null;
  nextDrillAt: string | null;
} {
  const state = readSchedulerState(file);
  if (!state) return { mode: 'daemon', running: false, nextSnapshotAt: null, nextDrillAt: null };
  const running = state.pid === process.pid || isAlive(state.pid);
  return {
    mode: state.mode,
    running,
    nextSnapshotAt: running ? state.nextSnapshotAt : null,
    nextDrillAt: running ? state.nextDrillAt : null,
  };
}
