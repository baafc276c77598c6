import crypto from 'node:crypto';
import type { Job } from '../../shared/contract';
import { AppError, isAppError } from '../services/app-error';
import { appOsUser } from '../services/os-user';
import type { EventBus } from '../services/events/event-bus';
import type { JobsRepo } from '../services/store/jobs-repo';
import { EtaEstimator } from './eta';

/** What a job body gets: a signal to honour and a way to report progress. */
export interface JobContext {
  readonly signal: AbortSignal;
  readonly jobId: string;
  /** Reports progress; cheap to call often, events are throttled. */
  progress(phase: string, done: number, total?: number | null): void;
  /**
   * While a reason is held, `cancel` is refused with CONFLICT and that reason, and shutdown
   * waits instead of aborting: for work that must never stop half-way (a restore over
   * production). `null` allows cancelling again.
   */
  holdCancel?(reason: string | null): void;
}

export interface JobSpec<T> {
  kind: string;
  title: string;
  subjectId?: string | null;
  run(ctx: JobContext): Promise<T>;
}

export interface JobRunnerOptions {
  repo: JobsRepo;
  events: EventBus;
  /** Minimum spacing of progress events per job; phase changes are always sent at once. */
  throttleMs?: number;
  /** Who starts jobs: the app's OS user (tests pass a name). */
  appUser?: () => string;
}

interface Running {
  job: Job;
  controller: AbortController;
  eta: EtaEstimator;
  lastEmit: number;
  pendingEmit: NodeJS.Timeout | null;
  finished: Promise<void>;
  /** Why the job cannot be cancelled right now, or null. */
  holdReason: string | null;
}

/**
 * Runs long work off the request path: start returns an id at once, progress goes out as
 * `job.progress` events with a per-job sequence number, cancel aborts through an
 * AbortSignal, and every state change is persisted so a restart shows what happened.
 */
export class JobRunner {
  private readonly running = new Map<string, Running>();
  private readonly throttleMs: number;
  private draining = false;

  constructor(private readonly options: JobRunnerOptions) {
    this.throttleMs = options.throttleMs ?? 250;
    options.repo.markInterrupted();
  }

  start<T>(spec: JobSpec<T>): Job {
    if (this.draining)
      throw new AppError('SHUTTING_DOWN', 'The app is shutting down; no new jobs start.');
    const now = new Date().toISOString();
    const job: Job = {
      id: crypto.randomUUID(),
      kind: spec.kind,
      title: spec.title,
      state: 'running',
      phase: 'starting',
      done: 0,
      total: null,
      etaSeconds: null,
      seq: 0,
      error: null,
      result: null,
      subjectId: spec.subjectId ?? null,
      createdAt: now,
      updatedAt: now,
      startedBy: (this.options.appUser ?? appOsUser)(),
      finishedAt: null,
    };
    const controller = new AbortController();
    const entry: Running = {
      job,
      controller,
      eta: new EtaEstimator(),
      lastEmit: 0,
      pendingEmit: null,
      finished: Promise.resolve(),
      holdReason: null,
    };
    this.running.set(job.id, entry);
    this.publish(entry, 'job.progress');

    const ctx: JobContext = {
      signal: controller.signal,
      jobId: job.id,
      progress: (phase, done, total) => this.onProgress(entry, phase, done, total),
      holdCancel: (reason) => {
        entry.holdReason = reason;
      },
    };
    // The body starts on the next tick so callers get the id before any event for it.
    entry.finished = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => spec.run(ctx))
      .then(
        (result) =>
          this.finish(entry, controller.signal.aborted ? 'cancelled' : 'succeeded', null, result),
        (err: unknown) => {
          const cancelled = controller.signal.aborted;
          this.finish(
            entry,
            cancelled ? 'cancelled' : 'failed',
            // A job that lets its work go on elsewhere when the app shuts down says so.
            cancelled && !(isAppError(err) && err.code === 'SHUTTING_DOWN')
              ? cancelError()
              : toJobError(err),
            null,
          );
        },
      );
    return { ...job };
  }

  get(id: string): Job | null {
    const live = this.running.get(id);
    return live ? { ...live.job } : this.options.repo.get(id);
  }

  list(): Job[] {
    return this.options.repo.list();
  }

  /** Takes an ended job out of the history list; a running one is refused (cancel it first). */
  dismiss(id: string): { dismissed: true } {
    if (this.running.has(id))
      throw new AppError('CONFLICT', 'The job is still running: cancel it or wait until it ends.');
    if (!this.options.repo.dismiss(id)) throw new AppError('JOB_NOT_FOUND', `No job ${id}.`);
    return { dismissed: true };
  }

  /** Asks a running job to stop; the job ends as `cancelled` once its body has unwound. */
  async cancel(id: string): Promise<Job> {
    const live = this.running.get(id);
    if (!live) {
      const stored = this.options.repo.get(id);
      if (!stored) throw new AppError('JOB_NOT_FOUND', `No job ${id}.`);
      return stored;
    }
    if (live.holdReason) throw new AppError('CONFLICT', live.holdReason);
    live.controller.abort(new AppError('CANCELLED', 'Cancelled by the user.'));
    await live.finished;
    return this.get(id) as Job;
  }

  /** Waits until the job has ended (any state). */
  async wait(id: string): Promise<Job> {
    const live = this.running.get(id);
    if (live) await live.finished;
    const job = this.get(id);
    if (!job) throw new AppError('JOB_NOT_FOUND', `No job ${id}.`);
    return job;
  }

  /**
   * Shutdown: refuse new jobs, let running ones finish for up to `graceMs`, then cancel the
   * rest and wait for them to unwind, so nothing is left half-done without a record.
   */
  async drain(graceMs = 10_000): Promise<void> {
    this.draining = true;
    const all = () => Promise.all([...this.running.values()].map((r) => r.finished));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all().then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      for (const r of this.running.values()) {
        if (r.holdReason) continue;
        r.controller.abort(
          new AppError('SHUTTING_DOWN', 'Cancelled because the app is shutting down.'),
        );
      }
      await all();
    }
  }

  private onProgress(entry: Running, phase: string, done: number, total?: number | null): void {
    if (entry.job.state !== 'running') return;
    const phaseChanged = phase !== entry.job.phase;
    if (phaseChanged) entry.eta.reset();
    entry.job.phase = phase;
    entry.job.done = done;
    if (total !== undefined) entry.job.total = total;
    entry.job.etaSeconds = entry.eta.update(done, entry.job.total);
    const since = Date.now() - entry.lastEmit;
    if (phaseChanged || since >= this.throttleMs) {
      this.publish(entry, 'job.progress');
    } else if (!entry.pendingEmit) {
      entry.pendingEmit = setTimeout(() => {
        entry.pendingEmit = null;
        if (entry.job.state === 'running') this.publish(entry, 'job.progress');
      }, this.throttleMs - since);
    }
  }

  private finish(entry: Running, state: Job['state'], error: Job['error'], result: unknown): void {
    if (entry.pendingEmit) clearTimeout(entry.pendingEmit);
    entry.pendingEmit = null;
    entry.job.state = state;
    entry.job.error = error;
    entry.job.result = result ?? null;
    entry.job.etaSeconds = null;
    entry.job.finishedAt = new Date().toISOString();
    if (state === 'succeeded') entry.job.phase = 'done';
    this.publish(entry, 'job.finished');
    this.running.delete(entry.job.id);
  }

  private publish(entry: Running, event: 'job.progress' | 'job.finished'): void {
    entry.job.seq += 1;
    entry.job.updatedAt = new Date().toISOString();
    entry.lastEmit = Date.now();
    this.options.repo.save(entry.job);
    this.options.events.emit(event, { ...entry.job });
  }
}

function cancelError(): Job['error'] {
  return { code: 'CANCELLED', message: 'Cancelled.' };
}

function toJobError(err: unknown): Job['error'] {
  if (isAppError(err)) {
    return err.reason
      ? { code: err.code, message: err.message, reason: err.reason }
      : { code: err.code, message: err.message };
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
