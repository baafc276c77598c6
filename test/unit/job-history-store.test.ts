import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobRunner } from '../../electron/jobs/runner';
import { AppError } from '../../electron/services/app-error';
import { EventBus } from '../../electron/services/events/event-bus';
import { openDatabase } from '../../electron/services/store/database';
import { JobsRepo } from '../../electron/services/store/jobs-repo';

// Jobs as history (issue 16 §4) in main's SQLite store: who started a job and when it ended
// survive a restart of the app (a new process opening the same store), a job running when the
// app stopped ends as interrupted with an end time, and a dismissed job leaves the list only.

describe('the job history in the app store', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-job-history-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function runner() {
    const db = openDatabase(dir);
    const jobs = new JobRunner({
      repo: new JobsRepo(db),
      events: new EventBus(),
      appUser: () => 'anna',
    });
    return { db, jobs };
  }

  it('keeps start, end and who started a job across a restart, and dismisses an ended one', async () => {
    const first = runner();
    const ok = first.jobs.start({
      kind: 'test.ok',
      title: 'ok',
      subjectId: 's1',
      run: async () => 42,
    });
    const failed = first.jobs.start({
      kind: 'test.fail',
      title: 'fail',
      run: async () => {
        throw new AppError('SSH_UNREACHABLE', 'no route');
      },
    });
    // Never ends: the app stops while it runs.
    const running = first.jobs.start({
      kind: 'test.long',
      title: 'long',
      run: () => new Promise<void>(() => undefined),
    });
    await first.jobs.wait(ok.id);
    await first.jobs.wait(failed.id);
    // The app stops while `running` runs: the process is gone, the row says running.
    first.db.close();

    const second = runner();
    const list = second.jobs.list();
    const byId = new Map(list.map((j) => [j.id, j]));
    expect(byId.get(ok.id)).toMatchObject({ state: 'succeeded', startedBy: 'anna', result: 42 });
    expect(Date.parse(byId.get(ok.id)?.finishedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(ok.createdAt),
    );
    expect(byId.get(failed.id)).toMatchObject({
      state: 'failed',
      error: { code: 'SSH_UNREACHABLE' },
      startedBy: 'anna',
    });
    const interrupted = byId.get(running.id);
    expect(interrupted?.state).toBe('interrupted');
    expect(interrupted?.finishedAt).toEqual(expect.any(String));

    expect(second.jobs.dismiss(failed.id)).toEqual({ dismissed: true });
    expect(second.jobs.list().map((j) => j.id)).not.toContain(failed.id);
    // Dismissed from the list, still in the store.
    expect(second.jobs.get(failed.id)?.state).toBe('failed');
    expect(() => second.jobs.dismiss('00000000-0000-4000-8000-000000000000')).toThrow(/No job/);
    second.db.close();
  });

  it('refuses to dismiss a running job', async () => {
    const { db, jobs } = runner();
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const begun = new Promise<void>((resolve) => (started = resolve));
    const job = jobs.start({
      kind: 'test.long',
      title: 'long',
      run: () =>
        new Promise<void>((resolve) => {
          release = resolve;
          started();
        }),
    });
    await begun;
    expect(() => jobs.dismiss(job.id)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    release();
    await jobs.wait(job.id);
    expect(jobs.dismiss(job.id)).toEqual({ dismissed: true });
    db.close();
  });
});
