/**
 * A second from the date and time fields (`YYYY-MM-DD`, `HH:MM[:SS]`), in this computer's time
 * zone, as ISO with its offset (`2026-12-06T14:23:05+01:00`); null while a field is incomplete.
 * The offset is spelt out so the admin sees which moment is meant, and the server gets no guess.
 */
export function momentIso(date: string, time: string): string | null {
  const d = /^(\d{4})-(\d\d)-(\d\d)$/.exec(date);
  const tm = /^(\d\d):(\d\d)(?::(\d\d))?$/.exec(time);
  if (!d || !tm) return null;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [hour, minute, second] = [Number(tm[1]), Number(tm[2]), Number(tm[3] ?? '0')];
  const local = new Date(year, month - 1, day, hour, minute, second);
  if (Number.isNaN(local.getTime()) || local.getDate() !== day) return null;
  const offset = -local.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  return (
    `${d[1]}-${d[2]}-${d[3]}T${pad(hour)}:${pad(minute)}:${pad(second)}` +
    `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  );
}
