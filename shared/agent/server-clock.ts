import type { HealthTile } from '../contract/agent';
import { phrase, said, type Said } from '../contract/phrases';

/**
 * A server's clock against this computer's (issue 20, fault 14). Every time the server records
 * (commit times, WAL, recovery points, heartbeats) is on its own clock, and restores are
 * targeted on it; the app compares it with its own so that an offset is said, not guessed at,
 * and so that times from elsewhere (the bucket's LastModified) can be put on the server's clock.
 * Pure: a measurement in, words out.
 */

/** One measurement: the server's clock minus this computer's, within ± the uncertainty. */
export interface ClockReading {
  offsetSeconds: number;
  /** Half the round trip of the best probe: the offset is known to within this. */
  uncertaintySeconds: number;
  /** This computer's time of the measurement (ISO). */
  measuredAt: string;
}

/** Beyond this (after the uncertainty) the server's clock counts as off: no time sync runs. */
export const CLOCK_WARNING_SECONDS = 10;

/** Whether the reading shows an offset beyond {@link CLOCK_WARNING_SECONDS}. */
export function clockIsOff(reading: ClockReading): boolean {
  return Math.abs(reading.offsetSeconds) - reading.uncertaintySeconds > CLOCK_WARNING_SECONDS;
}

/** "600 s ahead of" / "42 s behind" this computer's clock, in whole seconds. */
export function offsetWords(reading: ClockReading): string {
  const seconds = Math.round(Math.abs(reading.offsetSeconds));
  return `${seconds} s ${reading.offsetSeconds >= 0 ? 'ahead of' : 'behind'}`;
}

/** The dashboard's clock tile: a warning with the offset in seconds when the clock is off. */
export function clockTile(reading: ClockReading): HealthTile {
  const signed = Math.round(reading.offsetSeconds);
  const value = `${signed > 0 ? '+' : ''}${signed} s`;
  const valueWords = phrase('value.signedSeconds', { seconds: signed });
  if (!clockIsOff(reading)) {
    const within = Math.max(1, Math.ceil(reading.uncertaintySeconds));
    return {
      id: 'clock',
      level: 'ok',
      value,
      reason: `The server's clock agrees with this computer's (within ${within} s).`,
      words: { value: valueWords, reason: [phrase('tile.clock.agrees', { within })] },
    };
  }
  return {
    id: 'clock',
    level: 'warning',
    value,
    reason:
      `The server's clock is ${offsetWords(reading)} this computer's. Times of commits, ` +
      "backups and restores are the server's own clock; start time synchronisation on the " +
      'server (timedatectl set-ntp true, or chrony) so both agree.',
    words: {
      value: valueWords,
      reason: [
        phrase('tile.clock.off', {
          seconds: Math.round(Math.abs(reading.offsetSeconds)),
          direction: reading.offsetSeconds >= 0 ? 'ahead' : 'behind',
        }),
      ],
    },
  };
}

/** The restore plan's warning when the server's clock is off; null when it is not. */
export function clockPlanWarning(reading: ClockReading | null): string | null {
  return clockPlanSaid(reading)?.text ?? null;
}

/** The same warning with its phrase for the console. */
export function clockPlanSaid(reading: ClockReading | null): Said | null {
  if (!reading || !clockIsOff(reading)) return null;
  return said(
    `The server's clock is ${offsetWords(reading)} this computer's: the time you restore to is ` +
      "read on the server's clock, the one its commits were recorded with (the timeline shows " +
      "that clock), not on this computer's. Check the moment against the server's own records.",
    'plan.clockOff',
    {
      seconds: Math.round(Math.abs(reading.offsetSeconds)),
      direction: reading.offsetSeconds >= 0 ? 'ahead' : 'behind',
    },
  );
}
