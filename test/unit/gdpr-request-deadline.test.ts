import { describe, expect, it } from 'vitest';
import { daysLeft, requestDeadline } from '../../shared/gdpr/request-deadline';

describe('GDPR request deadline (Art. 12(3): one month from receipt)', () => {
  it('is the same day of the next month', () => {
    expect(requestDeadline('2026-03-15')).toBe('2026-04-15');
    expect(requestDeadline('2026-12-10')).toBe('2027-01-10');
  });

  it('is the last day of a shorter next month, never a day of the month after', () => {
    expect(requestDeadline('2026-01-31')).toBe('2026-02-28');
    expect(requestDeadline('2028-01-30')).toBe('2028-02-29');
    expect(requestDeadline('2026-03-31')).toBe('2026-04-30');
  });

  it('counts days left, zero on the day, negative once overdue', () => {
    expect(daysLeft('2026-02-28', '2026-02-01')).toBe(27);
    expect(daysLeft('2026-02-28', '2026-02-28')).toBe(0);
    expect(daysLeft('2026-02-28', '2026-03-02')).toBe(-2);
    // Across the change to summer time: still whole days.
    expect(daysLeft('2026-04-01', '2026-03-25')).toBe(7);
  });

  it('refuses what is not a calendar day', () => {
    expect(() => requestDeadline('31.01.2026')).toThrow(/calendar day/);
  });
});
