import { describe, expect, it } from 'vitest';
import { translate } from '../../renderer/app/i18n/translate';
import {
  filterJobs,
  jobDurationSeconds,
  jobNextStepKey,
  jobResultRoute,
} from '../../renderer/features/jobs/job-history';
import { backupSetUp } from '../../renderer/features/servers/protection';
import { createJobsStore } from '../../renderer/stores/jobs';
import { fakeApi, job, server, SERVER_ID } from './renderer-fakes';

// Jobs as history (issue 16 §4) and the honest "not protected" state (§2): what the jobs page
// lists and links to, in the console's words, and which servers count as having backups.

const OTHER = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const de = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
  translate('de', key, params);

describe('the job history list', () => {
  const jobs = [
    job({ id: 'a', createdAt: '2026-12-06T08:00:00.000Z', state: 'failed' }),
    job({ id: 'b', createdAt: '2026-12-06T09:00:00.000Z', state: 'succeeded' }),
    job({ id: 'c', createdAt: '2026-12-06T07:00:00.000Z', state: 'succeeded', subjectId: OTHER }),
  ];

  it('lists newest first and filters by server and by state', () => {
    expect(filterJobs(jobs, { serverId: null, state: 'any' }).map((j) => j.id)).toEqual([
      'b',
      'a',
      'c',
    ]);
    expect(filterJobs(jobs, { serverId: OTHER, state: 'any' }).map((j) => j.id)).toEqual(['c']);
    expect(filterJobs(jobs, { serverId: SERVER_ID, state: 'failed' }).map((j) => j.id)).toEqual([
      'a',
    ]);
    expect(filterJobs(jobs, { serverId: OTHER, state: 'failed' })).toEqual([]);
  });

  it('measures a duration from start to end, or up to now while running', () => {
    const start = '2026-12-06T08:00:00.000Z';
    expect(
      jobDurationSeconds(
        job({ createdAt: start, finishedAt: '2026-12-06T08:02:05.000Z', state: 'succeeded' }),
        new Date('2026-12-07T00:00:00Z'),
      ),
    ).toBe(125);
    expect(
      jobDurationSeconds(
        job({ createdAt: start, state: 'running' }),
        new Date(Date.parse(start) + 7000),
      ),
    ).toBe(7);
    // A job saved before ends were recorded has no honest duration.
    expect(jobDurationSeconds(job({ createdAt: start, state: 'failed' }), new Date())).toBeNull();
  });

  it('links each job to where its result is seen', () => {
    const drillId = 'drill-20261206T080000Z';
    expect(
      jobResultRoute(job({ kind: 'drill.start', state: 'succeeded', result: { drillId } })),
    ).toEqual({
      name: 'drills',
      id: SERVER_ID,
      drill: drillId,
    });
    expect(
      jobResultRoute(
        job({
          kind: 'point.create',
          state: 'succeeded',
          result: { at: '2026-12-06T09:00:05+01:00' },
        }),
      ),
    ).toEqual({ name: 'timeline', id: SERVER_ID, at: '2026-12-06T08:00:05.000Z' });
    expect(jobResultRoute(job({ kind: 'agent.install', state: 'succeeded' }))).toEqual({
      name: 'dashboard',
      id: SERVER_ID,
    });
    // A failed install links back to the wizard, to try again.
    expect(jobResultRoute(job({ kind: 'agent.install', state: 'failed' }))).toEqual({
      name: 'install',
      id: SERVER_ID,
    });
    expect(jobResultRoute(job({ kind: 'restore.start', state: 'succeeded' }))).toEqual({
      name: 'scratch',
    });
    expect(jobResultRoute(job({ kind: 'server.detect', state: 'failed' }))).toEqual({
      name: 'server',
      id: SERVER_ID,
    });
    // A drill id from the job's result that is no id is not put into an address.
    expect(
      jobResultRoute(job({ kind: 'drill.start', state: 'succeeded', result: { drillId: '../x' } })),
    ).toEqual({ name: 'drills', id: SERVER_ID });
    expect(jobResultRoute(job({ kind: 'unknown.kind' }))).toBeNull();
    expect(jobResultRoute(job({ kind: 'drill.start', subjectId: null }))).toBeNull();
  });

  it('tells what to do after an interrupted or cancelled job', () => {
    expect(jobNextStepKey(job({ state: 'interrupted' }))).toBe('jobs.history.interrupted');
    expect(de('jobs.history.interrupted')).toContain('starten Sie den Auftrag erneut');
    expect(jobNextStepKey(job({ state: 'cancelled' }))).toBe('jobs.history.cancelled');
    expect(jobNextStepKey(job({ state: 'succeeded' }))).toBeNull();
  });

  it('dismisses a job through main and drops it from the store', async () => {
    const { api, calls } = fakeApi({
      'jobs.list': () => [job({ id: 'a', state: 'failed', seq: 3 })],
      'jobs.dismiss': () => ({ dismissed: true as const }),
    });
    const store = createJobsStore(api);
    await store.getState().load();
    expect(Object.keys(store.getState().jobs)).toEqual(['a']);
    await store.getState().dismiss('a');
    expect(store.getState().jobs).toEqual({});
    expect(calls.at(-1)).toEqual({ name: 'jobs.dismiss', input: { id: 'a' } });
    store.dispose();
  });
});

describe('a server without backups', () => {
  it('counts as not protected until the agent protects a cluster', () => {
    expect(backupSetUp(server({ protectedDataDirectory: null }))).toBe(false);
    expect(backupSetUp(server({ protectedDataDirectory: '/var/lib/postgresql/15/main' }))).toBe(
      true,
    );
    expect(de('protection.none')).toBe('Nicht gesichert');
    expect(translate('en', 'protection.none')).toBe('Not protected');
  });
});
