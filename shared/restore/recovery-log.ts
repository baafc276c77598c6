/**
 * Reads what a scratch cluster's server log says about its recovery (the app's restore job and
 * the agent's drill). The cluster runs with
 * lc_messages = 'C' and log_timezone = 'UTC' (scratch-settings.ts), so the lines are PostgreSQL
 * 15's English messages with `+00` timestamps.
 */

/** Microseconds since the epoch: PostgreSQL's own precision, so `≤` compares exactly. */
export type EpochMicros = number;

/** Parses `2026-11-26 17:38:06.123456+00` (any offset) to epoch microseconds, or null. */
export function parsePgTimestamp(text: string): EpochMicros | null {
  const m =
    /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?([+-]\d{2})(?::?(\d{2}))?$/.exec(
      text.trim(),
    );
  if (!m) return null;
  const [, date, time, frac = '', offH = '+00', offM = '00'] = m;
  const ms = Date.parse(`${date}T${time}${offH}:${offM}`);
  if (Number.isNaN(ms)) return null;
  return ms * 1000 + Number(frac.padEnd(6, '0'));
}

/** An ISO 8601 time (the contract's form) as epoch microseconds. */
export function isoToMicros(iso: string): EpochMicros {
  const ms = Date.parse(iso);
  const frac = /\.(\d+)/.exec(iso)?.[1] ?? '';
  // Date.parse keeps milliseconds; the digits after them are added back.
  return ms * 1000 + Number(frac.padEnd(6, '0').slice(3, 6));
}

/** Epoch microseconds as ISO 8601 UTC with microseconds. */
export function microsToIso(micros: EpochMicros): string {
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
}

/** What the log says about how recovery ended. */
export interface RecoveryOutcome {
  /** "recovery stopping before commit of transaction X, time T": the first commit after the target. */
  stoppedBefore: { xid: string; kind: string; at: EpochMicros } | null;
  /** "recovery stopping after reaching consistency": an immediate (recovery point) target. */
  stoppedAtConsistency: boolean;
  /** "recovery stopping before WAL location (LSN) X": an exclusive LSN target (exact manifest). */
  stoppedBeforeLsn: string | null;
  /** "last completed transaction was at log time T": the last commit replayed. */
  lastCompleted: EpochMicros | null;
  /** "selected new timeline ID: N": recovery ended and the cluster was promoted. */
  newTimeline: number | null;
  /** The WAL ran out before the target: the target is not covered by the repository. */
  targetNotReached: boolean;
  /** FATAL / PANIC lines, newest last (for error messages). */
  fatal: string[];
  /** The newest "redo in progress … current LSN" or "redo done at" position. */
  replayLsn: string | null;
  readyForConnections: boolean;
}

const CONNECTION_REFUSALS =
  /the database system is (starting up|not yet accepting connections|not accepting connections|shutting down)/;

/** Scans a scratch cluster's server log. */
export function readRecoveryLog(log: string): RecoveryOutcome {
  const out: RecoveryOutcome = {
    stoppedBefore: null,
    stoppedAtConsistency: false,
    stoppedBeforeLsn: null,
    lastCompleted: null,
    newTimeline: null,
    targetNotReached: false,
    fatal: [],
    replayLsn: null,
    readyForConnections: false,
  };
  for (const line of log.split('\n')) {
    let m = /recovery stopping before (commit|abort) of transaction (\d+), time (.+)$/.exec(line);
    if (m) {
      const at = parsePgTimestamp(m[3] as string);
      if (at !== null) out.stoppedBefore = { kind: m[1] as string, xid: m[2] as string, at };
      continue;
    }
    m = /recovery stopping before WAL location \(LSN\) "([0-9A-F]+\/[0-9A-F]+)"/.exec(line);
    if (m) {
      out.stoppedBeforeLsn = m[1] as string;
      continue;
    }
    if (line.includes('recovery stopping after reaching consistency')) {
      out.stoppedAtConsistency = true;
      continue;
    }
    m = /last completed transaction was at log time (.+)$/.exec(line);
    if (m) {
      out.lastCompleted = parsePgTimestamp(m[1] as string);
      continue;
    }
    m = /selected new timeline ID: (\d+)/.exec(line);
    if (m) {
      out.newTimeline = Number(m[1]);
      continue;
    }
    m = /redo in progress, elapsed time: [\d.]+ s, current LSN: ([0-9A-F]+\/[0-9A-F]+)/.exec(line);
    if (m) {
      out.replayLsn = m[1] as string;
      continue;
    }
    m = /redo done at ([0-9A-F]+\/[0-9A-F]+)/.exec(line);
    if (m) {
      out.replayLsn = m[1] as string;
      continue;
    }
    if (line.includes('database system is ready to accept connections')) {
      out.readyForConnections = true;
    }
    // Connection attempts while the cluster starts are refused with FATAL too: not a failure.
    if (/\b(FATAL|PANIC):/.test(line) && !CONNECTION_REFUSALS.test(line)) {
      out.fatal.push(line.replace(/^.*?\b(FATAL|PANIC):\s*/, '$1: '));
      if (line.includes('recovery ended before configured recovery target was reached')) {
        out.targetNotReached = true;
      }
    }
  }
  return out;
}

/** `0/4000028` → byte position (fits a double up to 8 PB of WAL). */
export function lsnToBytes(lsn: string): number {
  const [hi, lo] = lsn.split('/');
  return parseInt(hi ?? '0', 16) * 2 ** 32 + parseInt(lo ?? '0', 16);
}
