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
