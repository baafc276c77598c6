/** One named step of a test's teardown (the browser, the web server, the app core, sshd …). */
export type StopStep = [name: string, stop: () => unknown];

/**
 * Runs every step of a teardown in order, each even when one before it failed: a browser that
 * would not close must not leave sshd or PostgreSQL running for the next file. Failures are
 * logged, not thrown (the test's own verdict is what counts).
 */
export async function stopInOrder(steps: readonly StopStep[]): Promise<void> {
  for (const [name, stop] of steps) {
    try {
      await stop();
    } catch (err) {
      console.error(`stopping ${name} failed`, err);
    }
  }
}
