// A GDPR request's deadline (Art. 12(3)): answered "within one month of receipt of the request".
// One calendar month on from the day received; when that month is shorter (31 January), the
// deadline is its last day (28/29 February), never a day of the month after. Dates are plain
// calendar days (YYYY-MM-DD), the way the request was received, not instants.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(day: string): [number, number, number] {
  const m = DAY.exec(day);
  if (!m) throw new Error(`not a calendar day (YYYY-MM-DD): ${day}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

const text = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The deadline of a request received on `receivedOn`: one calendar month later. */
export function requestDeadline(receivedOn: string): string {
  const [y, m, d] = parts(receivedOn);
  const year = m === 12 ? y + 1 : y;
  const month = m === 12 ? 1 : m + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return text(year, month, Math.min(d, lastDay));
}

/** Whole days from `today` to `deadline` (0 on the day itself, negative once overdue). */
export function daysLeft(deadline: string, today: string): number {
  const at = (day: string) => {
    const [y, m, d] = parts(day);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((at(deadline) - at(today)) / 86_400_000);
}

/** Today as a calendar day in the local time zone of the machine. */
export function localDay(now = new Date()): string {
  return text(now.getFullYear(), now.getMonth() + 1, now.getDate());
}
