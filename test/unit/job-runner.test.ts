import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/contract';
import { JobRunner } from '../../electron/jobs/runner';
import { EventBus } from '../../electron/services/events/event-bus';
import { openDatabase, type Db } from '../../electron/services/store/database';
import { JobsRepo } from '../../electron/services/store/jobs-repo';

describe('JobRunner', () => {
  let dir: string;
  let db: Db;
  let events: EventBus;
  let seen: { name: string; job: Job }[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-jobs-'));
    db = openDatabase(dir);
    events = new EventBus();
    seen = [];
    events.subscribe((name, payload) => seen.push({ name, job: payload as Job }));
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('returns an id at once, then reports throttled progress with growing sequence numbers', async () => {
    const runner = new JobRunner({ repo: new JobsRepo(db), events, throttleMs: 50 });
    const job = runner.start({
      kind: 'test.count',
      title: 'count',
      run: async (ctx) => {
        for (let i = 1; i <= 200; i++) {
          ctx.progress('counting', i, 200);
          await new Promise((r) => setTimeout(r, 2));
        }
        return { counted: 200 };
      },
    });
    expect(job.state).toBe('running');
    const finished = await runner.wait(job.id);
    expect(finished.state).toBe('succeeded');
    expect(finished.result).toEqual({ counted: 200 });
    const mine = seen.filter((e) => e.job.id === job.id);
    const seqs = mine.map((e) => e.job.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    // 200 progress calls over ~400+ ms with a 50 ms throttle: far fewer events than calls.
    expect(mine.length).toBeLessThan(60);
    expect(mine.length).toBeGreaterThan(2);
    expect(mine.at(-1)?.name).toBe('job.finished');
    expect(mine.some((e) => e.job.total === 200 && e.job.done > 0)).toBe(true);
  });

  it('cancels a job mid-way through its AbortSignal and persists the cancelled state', async () => {
    const repo = new JobsRepo(db);
    const runner = new JobRunner({ repo, events, throttleMs: 10 });
    let iterations = 0;
    const job = runner.start({
      kind: 'test.long',
      title: 'long',
      run: async (ctx) => {
        for (let i = 0; i < 10_000; i++) {
          if (ctx.signal.aborted) throw ctx.signal.reason;
          iterations = i;
          ctx.progress('working', i, 10_000);
          await new Promise((r) => setTimeout(r, 5));
        }
      },
    });
    await new Promise((r) => setTimeout(r, 150));
    const cancelled = await runner.cancel(job.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.error?.code).toBe('CANCELLED');
    expect(iterations).toBeGreaterThan(3);
    expect(iterations).toBeLessThan(9_999);
    expect(repo.get(job.id)?.state).toBe('cancelled');
  });

  it('records a failure with its code and marks jobs left running by a crash as interrupted', async () => {
    const repo = new JobsRepo(db);
    const runner = new JobRunner({ repo, events });
    const failing = runner.start({
      kind: 'test.fail',
      title: 'fail',
      run: async () => {
        throw new Error('disk on fire');
      },
    });
    const done = await runner.wait(failing.id);
    expect(done.state).toBe('failed');
    expect(done.error).toEqual({ code: 'INTERNAL', message: 'disk on fire' });

    // A job that was 'running' when the process died.
    repo.save({ ...done, id: '11111111-1111-4111-8111-111111111111', state: 'running' });
    new JobRunner({ repo, events });
    expect(repo.get('11111111-1111-4111-8111-111111111111')?.state).toBe('interrupted');
  });

  it('drains on shutdown: refuses new jobs and cancels the ones that do not finish in time', async () => {
    const runner = new JobRunner({ repo: new JobsRepo(db), events });
    const job = runner.start({
      kind: 'test.forever',
      title: 'forever',
      run: (ctx) =>
        new Promise((_, reject) =>
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
        ),
    });
    await runner.drain(100);
    expect(runner.get(job.id)?.state).toBe('cancelled');
    expect(() => runner.start({ kind: 'x', title: 'x', run: async () => 1 })).toThrow(
      /shutting down/,
    );
  });
});
