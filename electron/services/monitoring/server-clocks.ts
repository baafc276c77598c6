import { clockIsOff, type ClockReading } from '../../../shared/agent/server-clock';
import type { ServersService } from '../servers/servers-service';

/** A reading this recent is used as it is: clocks drift by seconds a day, not a minute. */
const READING_FRESH_MS = 5 * 60_000;
/** Probes per measurement; the one with the shortest round trip counts (as NTP does). */
const PROBES = 3;
/** The server's `date +%s%N`: nanoseconds since the epoch, digits only (untrusted input). */
const NANOSECONDS = /^\d{10,20}$/;

export interface ServerClocksDeps {
  servers: Pick<ServersService, 'open'>;
  now?: () => number;
}

/**
 * Measures each server's clock against this computer's over SSH (issue 20, fault 14) and keeps
 * the last reading: the dashboard shows it, the restore plan warns with it, and the catalog
 * puts the bucket's times on the server's clock with it.
 */
export class ServerClocks {
  private readonly readings = new Map<string, ClockReading>();

  constructor(private readonly deps: ServerClocksDeps) {}

  /** A fresh measurement (one SSH connection, three `date` probes); throws when unreachable. */
  async measure(serverId: string, signal?: AbortSignal): Promise<ClockReading> {
    const ssh = await this.deps.servers.open(serverId, signal);
    try {
      let best: { offsetMs: number; roundTripMs: number } | null = null;
      for (let i = 0; i < PROBES; i++) {
        const sent = this.now();
        const run = await ssh.exec('date +%s%N', { signal });
        const received = this.now();
        const answer = run.stdout.trim();
        if (run.code !== 0 || !NANOSECONDS.test(answer)) {
          throw new Error(`the server's date answered ${JSON.stringify(answer.slice(0, 40))}`);
        }
        const serverMs = Number(BigInt(answer) / 1_000_000n);
        const roundTripMs = received - sent;
        if (!best || roundTripMs < best.roundTripMs)
          best = { offsetMs: serverMs - (sent + received) / 2, roundTripMs };
      }
      const found = best as { offsetMs: number; roundTripMs: number };
      const reading: ClockReading = {
        offsetSeconds: found.offsetMs / 1000,
        uncertaintySeconds: found.roundTripMs / 2000,
        measuredAt: new Date(this.now()).toISOString(),
      };
      this.readings.set(serverId, reading);
      return reading;
    } finally {
      ssh.close();
    }
  }

  /**
   * The last reading when fresh, else a new one; null when the server cannot be measured
   * within `waitMs` (an unreachable server must not hold up a plan or the dashboard).
   */
  async recent(serverId: string, waitMs = 5_000): Promise<ClockReading | null> {
    const last = this.readings.get(serverId);
    if (last && this.now() - Date.parse(last.measuredAt) < READING_FRESH_MS) return last;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<null>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        resolve(null);
      }, waitMs);
    });
    try {
      return await Promise.race([this.measure(serverId, abort.signal).catch(() => null), gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The last known offset in ms (server minus this computer); 0 when never measured or when
   * within CLOCK_WARNING_SECONDS (shared/agent/server-clock.ts): times are moved only for a clock that is off, not by
   * the milliseconds of every measurement.
   */
  offsetMs(serverId: string): number {
    const reading = this.readings.get(serverId);
    return reading && clockIsOff(reading) ? Math.round(reading.offsetSeconds * 1000) : 0;
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}
