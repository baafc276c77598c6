import { describe, expect, it } from 'vitest';
import {
  formatMoment,
  formatUtc,
  parseWallInput,
  toIsoSecond,
  toLocalInput,
  toWallInput,
  wallTimeAt,
  wallToUtc,
  zoneOffsetMs,
} from '../../renderer/lib/zoned-time';

const BERLIN = 'Europe/Berlin';
const HOUR = 3_600_000;

describe('moments in the admin time zone', () => {
  it('knows the zone offset in winter and summer', () => {
    expect(zoneOffsetMs(Date.parse('2026-11-26T13:23:05Z'), BERLIN)).toBe(HOUR);
    expect(zoneOffsetMs(Date.parse('2026-07-01T12:00:00Z'), BERLIN)).toBe(2 * HOUR);
    expect(zoneOffsetMs(Date.parse('2026-07-01T12:00:00Z'), 'UTC')).toBe(0);
    expect(zoneOffsetMs(Date.parse('2026-07-01T12:00:00Z'), 'America/New_York')).toBe(-4 * HOUR);
  });

  it('turns a wall time into UTC and back, to the second', () => {
    const wall = { year: 2026, month: 11, day: 26, hour: 14, minute: 23, second: 5 };
    const t = wallToUtc(wall, BERLIN);
    expect(new Date(t).toISOString()).toBe('2026-11-26T13:23:05.000Z');
    expect(wallTimeAt(t, BERLIN)).toEqual(wall);
  });

  it('maps the skipped spring hour forward and the repeated autumn hour to its first time', () => {
    const skipped = wallToUtc(
      { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 },
      BERLIN,
    );
    expect(new Date(skipped).toISOString()).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    const repeated = wallToUtc(
      { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 },
      BERLIN,
    );
    expect(new Date(repeated).toISOString()).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
  });

  it('reads datetime-local values and typed moments, refusing impossible dates', () => {
    expect(parseWallInput('2026-11-26T14:23:05', BERLIN)).toBe(Date.parse('2026-11-26T13:23:05Z'));
    expect(parseWallInput('2026-11-26 14:23:05', BERLIN)).toBe(Date.parse('2026-11-26T13:23:05Z'));
    expect(parseWallInput('2026-11-26T14:23', BERLIN)).toBe(Date.parse('2026-11-26T13:23:00Z'));
    expect(parseWallInput('2026-02-30T10:00:00', BERLIN)).toBeNull();
    expect(parseWallInput('2026-11-26T24:00:00', BERLIN)).toBeNull();
    expect(parseWallInput('yesterday', BERLIN)).toBeNull();
    expect(parseWallInput('', BERLIN)).toBeNull();
  });

  it('reads moments typed the German and the English way, day first (issue 16 §1)', () => {
    const at = Date.parse('2026-11-26T13:23:05Z');
    expect(parseWallInput('26.11.2026 14:23:05', BERLIN)).toBe(at);
    expect(parseWallInput('26.11.2026, 14:23:05', BERLIN)).toBe(at);
    expect(parseWallInput('26/11/2026 14:23:05', BERLIN)).toBe(at);
    expect(parseWallInput('6.1.2027 9:05', BERLIN)).toBe(Date.parse('2027-01-06T08:05:00Z'));
    expect(parseWallInput('31.02.2026 10:00:00', BERLIN)).toBeNull();
    expect(parseWallInput('26.13.2026 10:00:00', BERLIN)).toBeNull();
    expect(toLocalInput(at, BERLIN, 'de')).toBe('26.11.2026 14:23:05');
    expect(toLocalInput(at, BERLIN, 'en')).toBe('26/11/2026 14:23:05');
    for (const lang of ['de', 'en'] as const)
      expect(parseWallInput(toLocalInput(at, BERLIN, lang), BERLIN)).toBe(at);
  });

  it('writes datetime-local values in the zone', () => {
    expect(toWallInput(Date.parse('2026-11-26T13:23:05Z'), BERLIN)).toBe('2026-11-26T14:23:05');
    expect(toWallInput(Date.parse('2026-11-26T23:59:59Z'), 'UTC')).toBe('2026-11-26T23:59:59');
  });

  it('formats a moment with its zone, and the same moment in UTC', () => {
    const t = Date.parse('2026-11-26T13:23:05Z');
    expect(formatMoment(t, 'de', BERLIN)).toBe('26.11.2026, 14:23:05 MEZ');
    expect(formatMoment(t, 'en', BERLIN)).toBe('26/11/2026, 14:23:05 CET');
    expect(formatMoment('2026-11-26T13:23:05Z', 'en', 'UTC')).toBe('26/11/2026, 13:23:05 UTC');
    expect(formatUtc(t)).toBe('2026-11-26 13:23:05 UTC');
    expect(formatUtc('not a date')).toBe('—');
    expect(toIsoSecond(t + 400)).toBe('2026-11-26T13:23:05Z');
  });
});
