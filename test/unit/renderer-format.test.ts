import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDateTime,
  formatDuration,
  formatNumber,
  percent,
} from '../../renderer/lib/format';

// Intl output separates some units with a no-break space; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatDateTime', () => {
  it('writes German dates as 26.11.2026, 14:23', () => {
    expect(formatDateTime('2026-11-26T14:23:45Z', 'de', { timeZone: 'UTC' })).toBe(
      '26.11.2026, 14:23',
    );
  });

  it('writes English dates day-first (en-GB)', () => {
    expect(formatDateTime('2026-11-26T14:23:45Z', 'en', { timeZone: 'UTC' })).toBe(
      '26/11/2026, 14:23',
    );
  });

  it('uses the given time zone', () => {
    expect(formatDateTime('2026-11-26T14:23:00Z', 'de', { timeZone: 'Europe/Berlin' })).toBe(
      '26.11.2026, 15:23',
    );
  });

  it('accepts Date objects and shows a dash for invalid input', () => {
    expect(formatDateTime(new Date(Date.UTC(2026, 0, 5, 9, 7)), 'de', { timeZone: 'UTC' })).toBe(
      '05.01.2026, 09:07',
    );
    expect(formatDateTime('not a date', 'en')).toBe('—');
  });
});

describe('formatBytes', () => {
  it('writes 1.5 GB as "1,5 GB" in German and "1.5 GB" in English', () => {
    expect(plain(formatBytes(1_500_000_000, 'de'))).toBe('1,5 GB');
    expect(plain(formatBytes(1_500_000_000, 'en'))).toBe('1.5 GB');
  });

  it('covers the unit ladder', () => {
    expect(formatBytes(0, 'en')).toBe('0 B');
    expect(formatBytes(999, 'de')).toBe('999 B');
    expect(plain(formatBytes(1_000, 'en'))).toBe('1 kB');
    expect(plain(formatBytes(12_345_678, 'de'))).toBe('12,3 MB');
    expect(plain(formatBytes(2_000_000_000_000, 'en'))).toBe('2 TB');
  });

  it('moves to the next unit when rounding reaches 1000', () => {
    expect(plain(formatBytes(999_960, 'en'))).toBe('1 MB');
  });

  it('shows a dash for nonsense', () => {
    expect(formatBytes(-1, 'en')).toBe('—');
    expect(formatBytes(Number.NaN, 'de')).toBe('—');
  });
});

describe('numbers, durations, percent', () => {
  it('groups thousands per locale', () => {
    expect(formatNumber(1234567, 'de')).toBe('1.234.567');
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatNumber(1.25, 'de', 2)).toBe('1,25');
  });

  it('formats ETAs', () => {
    expect(formatDuration(45, 'en')).toBe('45 s');
    expect(formatDuration(185, 'de')).toBe('3 min 5 s');
    expect(formatDuration(120, 'en')).toBe('2 min');
    expect(formatDuration(7800, 'en')).toBe('2 h 10 min');
    expect(formatDuration(-5, 'en')).toBe('—');
  });

  it('computes a clamped percentage, null without a total', () => {
    expect(percent(5, 10)).toBe(50);
    expect(percent(15, 10)).toBe(100);
    expect(percent(5, null)).toBeNull();
    expect(percent(5, 0)).toBeNull();
  });
});
