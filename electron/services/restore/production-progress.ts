import type { JobContext } from '../../jobs/runner';

/**
 * Progress for a step that reports none of its own (the agent's snapshot, pgBackRest's delta
 * restore): seconds elapsed against the plan's estimate, held just below it until the step
 * ends, so the job shows a bar and an ETA instead of looking hung.
 */
export async function withEstimate<T>(
  job: Pick<JobContext, 'progress'>,
  phase: string,
  estimateSeconds: number,
  work: () => Promise<T>,
): Promise<T> {
  const total = Math.max(1, Math.round(estimateSeconds));
  const started = Date.now();
  job.progress(phase, 0, total);
  const timer = setInterval(() => {
    job.progress(phase, Math.min(total * 0.95, (Date.now() - started) / 1000), total);
  }, 1_000);
  try {
    const result = await work();
    job.progress(phase, total, total);
    return result;
  } finally {
    clearInterval(timer);
  }
}

/**
 * {@link withEstimate} for steps another process runs (the agent's safety snapshot and delta
 * restore, seen through its progress lines): `start` when such a step begins, `stop` when the
 * next one does.
 */
export class EstimateTicker {
  private timer: NodeJS.Timeout | null = null;
  private current: { phase: string; total: number; started: number } | null = null;

  constructor(private readonly job: Pick<JobContext, 'progress'>) {}

  start(phase: string, estimateSeconds: number): void {
    if (this.current?.phase === phase) return;
    this.stop();
    const current = { phase, total: Math.max(1, Math.round(estimateSeconds)), started: Date.now() };
    this.current = current;
    this.job.progress(phase, 0, current.total);
    this.timer = setInterval(() => {
      const elapsed = (Date.now() - current.started) / 1000;
      this.job.progress(phase, Math.min(current.total * 0.95, elapsed), current.total);
    }, 1_000);
  }

  /** Ends the running step (reported complete). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.current) this.job.progress(this.current.phase, this.current.total, this.current.total);
    this.current = null;
  }
}
