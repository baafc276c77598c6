import { AppError } from '../app-error';

/**
 * A period from the contract's day-or-moment strings: a bare day means the whole UTC day, so
 * `--from 2025-01-01 --to 2025-03-31` is the first quarter including its last day.
 */
export function resolvePeriod(from: string, to: string): { from: string; to: string } {
  const start = /^\d{4}-\d{2}-\d{2}$/.test(from) ? `${from}T00:00:00.000Z` : from;
  const end = /^\d{4}-\d{2}-\d{2}$/.test(to) ? `${to}T23:59:59.999Z` : to;
  const a = Date.parse(start);
  const b = Date.parse(end);
  if (Number.isNaN(a) || Number.isNaN(b))
    throw new AppError('INVALID_INPUT', 'The period has an invalid date.');
  if (a > b) throw new AppError('INVALID_INPUT', 'The period ends before it starts.');
  return { from: new Date(a).toISOString(), to: new Date(b).toISOString() };
}
