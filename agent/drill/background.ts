/**
 * Work started now, beside other work, and awaited later: the drill restores and verifies the
 * attached files while the database is restored, started and verified.
 */
export interface BackgroundWork<T> {
  /**
   * The work's outcome. A rejection counts as handled from the start, so awaiting it late (or
   * never, when the other work failed first and {@link BackgroundWork.stop} ran instead) leaves
   * no unhandled rejection.
   */
  readonly result: Promise<T>;
  /** True once the work has resolved or rejected. */
  settled(): boolean;
  /**
   * Aborts the work's signal if it still runs and resolves once it has settled (never rejects):
   * after this, nothing it started still writes.
   */
  stop(): Promise<void>;
}

/**
 * Starts `work` with its own abort signal, which follows `parent` (an abort of the drill stops
 * it too) and {@link BackgroundWork.stop}.
 */
export function inBackground<T>(
  work: (signal: AbortSignal) => Promise<T>,
  parent?: AbortSignal,
): BackgroundWork<T> {
  const control = new AbortController();
  const follow = (): void => control.abort(parent?.reason);
  if (parent?.aborted) follow();
  else parent?.addEventListener('abort', follow, { once: true });
  let done = false;
  const result = (async () => work(control.signal))().finally(() => {
    done = true;
    parent?.removeEventListener('abort', follow);
  });
  result.catch(() => undefined);
  return {
    result,
    settled: () => done,
    async stop() {
      if (!done) control.abort(new Error('stopped: the work beside it ended first'));
      await result.catch(() => undefined);
    },
  };
}
