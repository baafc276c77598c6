import { ErrorCode, type Job } from '../../../shared/contract';
import type { JobContext, JobRunner } from '../../jobs/runner';
import { AppError } from '../app-error';

const POLL_MS = 300;

/**
 * Runs another service's job as one phase of `parent` (a rebuild's restore and agent install):
 * its progress shows as the parent's `phase`, the parent's cancel cancels it, and its result
 * (or its error, code and message kept) is the parent's to use.
 */
export async function runChildJob<T>(
  parent: JobContext,
  jobs: JobRunner,
  phase: string,
  start: () => Job,
): Promise<T> {
  const child = start();
  const onAbort = (): void => {
    jobs.cancel(child.id).catch(() => undefined);
  };
  parent.signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const now = jobs.get(child.id);
      if (!now) throw new AppError('JOB_NOT_FOUND', `Job ${child.id} is gone.`);
      if (now.state === 'succeeded') return now.result as T;
      if (now.state === 'failed' || now.state === 'cancelled' || now.state === 'interrupted') {
        const known = ErrorCode.safeParse(now.error?.code);
        const code = parent.signal.aborted ? 'CANCELLED' : known.success ? known.data : 'INTERNAL';
        throw new AppError(code, now.error?.message ?? `${now.title}: ${now.state}`);
      }
      parent.progress(phase, now.done, now.total);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    parent.signal.removeEventListener('abort', onAbort);
  }
}
