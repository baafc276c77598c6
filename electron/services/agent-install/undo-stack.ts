/**
 * What install has changed so far, newest last. On failure or cancel every step is undone
 * in reverse, each independently, so one failing undo does not leave the rest in place.
 */
export class UndoStack {
  private readonly steps: { label: string; undo: () => Promise<void> }[] = [];

  push(label: string, undo: () => Promise<void>): void {
    this.steps.push({ label, undo });
  }

  /** Runs every undo step; returns the labels of those that failed, with why. */
  async unwind(): Promise<string[]> {
    const failures: string[] = [];
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.undo();
      } catch (err) {
        failures.push(`${step.label}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return failures;
  }
}
