/**
 * Estimates seconds left from the rate observed since the first report of the current
 * phase, smoothed so one slow chunk does not make the estimate jump around.
 */
export class EtaEstimator {
  private baseline: { at: number; done: number } | null = null;
  private rate: number | null = null;

  reset(): void {
    this.baseline = null;
    this.rate = null;
  }

  update(done: number, total: number | null): number | null {
    const now = Date.now();
    if (!this.baseline) {
      this.baseline = { at: now, done };
      return null;
    }
    if (total === null || total <= 0) return null;
    const elapsed = (now - this.baseline.at) / 1000;
    if (elapsed < 0.5 || done <= this.baseline.done) return null;
    const observed = (done - this.baseline.done) / elapsed;
    this.rate = this.rate === null ? observed : this.rate * 0.7 + observed * 0.3;
    return Math.round(Math.max(0, total - done) / this.rate);
  }
}
