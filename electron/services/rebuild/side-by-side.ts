/**
 * Waits for `work` and a connection being opened at the same time (they do not depend on each
 * other). When the work fails, a connection that did open is closed again before the work's
 * error is thrown; a connection that failed throws its own.
 */
export async function besideConnection<T, C extends { close(): void }>(
  work: Promise<T>,
  connecting: Promise<C>,
): Promise<[T, C]> {
  const [done, opened] = await Promise.allSettled([work, connecting]);
  if (done.status === 'rejected') {
    if (opened.status === 'fulfilled') opened.value.close();
    throw done.reason;
  }
  if (opened.status === 'rejected') throw opened.reason;
  return [done.value, opened.value];
}
