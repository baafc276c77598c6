import path from 'node:path';

/** The files the agent keeps in its state folder (/var/lib/kumiko-agent). */
export function statePaths(stateDir: string) {
  const file = (name: string): string => path.join(stateDir, name);
  return {
    /** Last recovery point and retention run (written by snapshot and retention). */
    state: file('state.json'),
    /** The latest heartbeat, as uploaded. */
    heartbeat: file('heartbeat.json'),
    /** Open alert incidents and undelivered notifications. */
    incidents: file('incidents.json'),
    /** How far the WAL sequence in the repository was checked for holes. */
    walCheck: file('wal-check.json'),
    /** The newest check whether the bucket key can destroy backups (heartbeats, drills). */
    bucketProtection: file('bucket-protection.json'),
    /** What the daemon plans next (read by heartbeat/status). */
    scheduler: file('scheduler.json'),
    log: file('agent.log'),
    /** The supervisor's PID. */
    supervisorPid: file('agent.pid'),
    /** Held by the running daemon. */
    daemonLock: file('locks/daemon.lock'),
    /** Held by snapshot, retention and drill: each needs the repository to itself. */
    repositoryLock: file('locks/repository.lock'),
    heartbeatLock: file('locks/heartbeat.lock'),
    resticCache: file('restic-cache'),
  };
}
export type StatePaths = ReturnType<typeof statePaths>;

/** Who may hold the repository lock, for the "already running" message. */
export const REPOSITORY_LOCK_HOLDERS = 'a snapshot, retention run or drill';
