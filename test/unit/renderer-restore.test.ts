import { describe, expect, it } from 'vitest';
import type { Job } from '../../shared/contract/domain';
import type { RestoreRequest } from '../../shared/contract/recovery';
import { PRODUCTION_RESTORE_PHASES, RESTORE_PHASES } from '../../shared/contract/restore-phases';
import { de } from '../../renderer/app/i18n/de';
import { en } from '../../renderer/app/i18n/en';
import { hasMessage } from '../../renderer/app/i18n/translate';
import { ApiError } from '../../renderer/lib/api-client';
import { createCatalogStore } from '../../renderer/stores/catalog';
import { createJobsStore } from '../../renderer/stores/jobs';
import { createRestoreStore } from '../../renderer/stores/restore';
import {
  allChecksPassed,
  isRestoreJobOf,
  parseKeepHours,
  scratchFromJobResult,
  scratchOfJob,
  targetProblem,
  toRestoreRequest,
} from '../../renderer/stores/restore-model';
import {
  createProductionRestoreStore,
  isProductionJobOf,
  productionConfirmed,
} from '../../renderer/stores/restore-production';
import { sameRequest } from '../../renderer/stores/job-run';
import { createScratchStore } from '../../renderer/stores/scratch';
import {
  fakeApi,
  flush,
  job,
  JOB_ID,
  NOW,
  OTHER_SERVER_ID,
  productionPlan,
  productionResult,
  restorePlan,
  SCRATCH_ID,
  scratchEnv,
  SERVER_ID,
  syntheticCatalog,
  type Handlers,
} from './renderer-fakes';

const T = Date.parse('2026-11-26T13:00:05Z');
const restoreJob = (over: Partial<Job> = {}) =>
  job({ kind: 'restore.start', title: 'Restore ERP', phase: 'starting', ...over });

function setup(handlers: Handlers = {}) {
  const fake = fakeApi({
    'restore.plan': (request) => restorePlan({ request: request as RestoreRequest }),
    'restore.start': () => ({ jobId: JOB_ID }),
    'jobs.get': () => restoreJob(),
    'jobs.cancel': () => restoreJob({ state: 'cancelled', seq: 50 }),
    'scratch.list': () => [scratchEnv()],
    'scratch.drop': () => scratchEnv({ state: 'removed' }),
    ...handlers,
  });
  const jobs = createJobsStore(fake.api);
  const scratch = createScratchStore(fake.api);
  const restore = createRestoreStore(fake.api, jobs, scratch, { previewDelayMs: 0 });
  const production = createProductionRestoreStore(fake.api, jobs);
  return { ...fake, jobs, scratch, restore, production };
}

/** A wizard at the summary step with a ready plan for a moment restored into scratch. */
async function readyToStart(s: ReturnType<typeof setup>) {
  const store = s.restore.getState();
  store.open(SERVER_ID, { target: { kind: 'time', time: T } });
  store.goTo(SERVER_ID, 'summary');
  await store.loadPlan(SERVER_ID);
  expect(s.restore.getState().wizards[SERVER_ID]?.plan.status).toBe('ready');
}

describe('restore model', () => {
  it('turns drafts into requests only when complete', () => {
    expect(
      toRestoreRequest(SERVER_ID, { kind: 'time', time: null }, { kind: 'scratch' }),
    ).toBeNull();
    expect(
      toRestoreRequest(SERVER_ID, { kind: 'time', time: T + 400 }, { kind: 'scratch' }),
    ).toEqual({
      serverId: SERVER_ID,
      target: { kind: 'time', time: '2026-11-26T13:00:05.000Z' },
      destination: { kind: 'scratch' },
    });
    expect(
      toRestoreRequest(SERVER_ID, { kind: 'point', label: 'L1' }, { kind: 'host', serverId: null }),
    ).toBeNull();
    expect(
      toRestoreRequest(SERVER_ID, { kind: 'latest' }, { kind: 'host', serverId: OTHER_SERVER_ID }),
    ).toEqual({
      serverId: SERVER_ID,
      target: { kind: 'latest' },
      destination: { kind: 'host', serverId: OTHER_SERVER_ID },
    });
    expect(targetProblem({ kind: 'point', label: null })).toBe('restore.error.point');
    expect(targetProblem({ kind: 'latest' })).toBeNull();
  });

  it('reads keep hours: whole hours up to 90 days, 0 keeps', () => {
    expect(parseKeepHours('24')).toBe(24);
    expect(parseKeepHours(' 0 ')).toBe(0);
    expect(parseKeepHours('2160')).toBe(2160);
    expect(parseKeepHours('2161')).toBeNull();
    expect(parseKeepHours('1.5')).toBeNull();
    expect(parseKeepHours('')).toBeNull();
  });

  it('accepts a job result only when it is a scratch environment', () => {
    expect(scratchFromJobResult(scratchEnv())?.id).toBe(SCRATCH_ID);
    expect(scratchFromJobResult({ scratch: scratchEnv() })?.id).toBe(SCRATCH_ID);
    expect(scratchFromJobResult({ id: 'x' })).toBeNull();
    expect(
      scratchFromJobResult({ ...scratchEnv(), checks: [{ name: 'bogus', ok: true }] }),
    ).toBeNull();
    expect(scratchFromJobResult(null)).toBeNull();
  });

  it('finds the scratch environment a job created in the list', () => {
    const older = scratchEnv({ id: 'old', createdAt: '2026-11-20T10:00:00.000Z' });
    const other = scratchEnv({ id: 'other', sourceServerId: OTHER_SERVER_ID });
    const mine = scratchEnv({ createdAt: '2026-11-26T14:25:00.000Z' });
    expect(scratchOfJob([older, other, mine], { createdAt: NOW }, SERVER_ID)?.id).toBe(SCRATCH_ID);
    expect(scratchOfJob([older], { createdAt: NOW }, SERVER_ID)).toBeNull();
    expect(allChecksPassed(mine)).toBe(true);
    expect(allChecksPassed(scratchEnv({ checks: [] }))).toBe(false);
  });

  it('recognises restore jobs of a server', () => {
    expect(isRestoreJobOf(restoreJob(), SERVER_ID)).toBe(true);
    expect(isRestoreJobOf(job(), SERVER_ID)).toBe(false);
    expect(isRestoreJobOf(restoreJob({ subjectId: OTHER_SERVER_ID }), SERVER_ID)).toBe(false);
  });

  it('compares requests by value', () => {
    const a = restorePlan().request;
    expect(sameRequest(a, { ...a })).toBe(true);
    expect(sameRequest(a, { ...a, target: { kind: 'latest' } })).toBe(false);
    expect(sameRequest(null, a)).toBe(false);
  });

  it('has words for every restore phase and check, in both languages', () => {
    for (const phase of RESTORE_PHASES) {
      expect(hasMessage(`restore.phase.${phase}`), phase).toBe(true);
    }
    for (const name of ['consistent', 'promoted', 'stopped-at-target', 'manifest-match', 'files']) {
      expect(hasMessage(`check.${name}`), name).toBe(true);
    }
    expect(de['timeline.nav']).not.toBe(en['timeline.nav']);
  });
});

describe('catalog store', () => {
  it('loads a catalog, asks for a rebuild on refresh, and keeps the last one on failure', async () => {
    let fail = false;
    const { api, calls } = fakeApi({
      'catalog.get': () => {
        if (fail) throw new ApiError('STORAGE_UNREACHABLE', 'bucket down');
        return syntheticCatalog({ segments: 100 });
      },
    });
    const store = createCatalogStore(api);
    await store.getState().load(SERVER_ID);
    expect(store.getState().catalogs[SERVER_ID]?.catalog?.segmentTimes).toHaveLength(100);
    fail = true;
    await store.getState().load(SERVER_ID, { refresh: true });
    const entry = store.getState().catalogs[SERVER_ID];
    expect(entry?.error?.code).toBe('STORAGE_UNREACHABLE');
    expect(entry?.catalog).not.toBeNull();
    expect(calls.map((c) => c.input)).toEqual([
      { serverId: SERVER_ID },
      { serverId: SERVER_ID, refresh: true },
    ]);
  });

  it('applies only the newest answer', async () => {
    const resolvers: ((n: number) => void)[] = [];
    const { api } = fakeApi({
      'catalog.get': () =>
        new Promise((resolve) => resolvers.push((n) => resolve(syntheticCatalog({ segments: n })))),
    });
    const store = createCatalogStore(api);
    const first = store.getState().load(SERVER_ID);
    const second = store.getState().load(SERVER_ID);
    await flush();
    resolvers[1]?.(20);
    resolvers[0]?.(10);
    await Promise.all([first, second]);
    expect(store.getState().catalogs[SERVER_ID]?.catalog?.segmentTimes).toHaveLength(20);
  });

  it('reloads a shown catalog when a job of that server ends', async () => {
    const { api, emit, calls } = fakeApi({
      'catalog.get': () => syntheticCatalog({ segments: 5 }),
    });
    const store = createCatalogStore(api);
    await store.getState().load(SERVER_ID);
    emit('job.finished', restoreJob({ state: 'succeeded' }));
    emit('job.finished', restoreJob({ state: 'succeeded', subjectId: OTHER_SERVER_ID }));
    await flush();
    expect(calls).toHaveLength(2);
    store.dispose();
  });
});

describe('timeline preview', () => {
  it('plans a picked moment into scratch and shows the plan', async () => {
    const s = setup();
    s.restore.getState().pick(SERVER_ID, T);
    expect(s.restore.getState().previews[SERVER_ID]).toEqual({ status: 'planning', time: T });
    await flush();
    await flush();
    const preview = s.restore.getState().previews[SERVER_ID];
    expect(preview?.status).toBe('ready');
    expect(s.calls.find((c) => c.name === 'restore.plan')?.input).toEqual({
      serverId: SERVER_ID,
      target: { kind: 'time', time: '2026-11-26T13:00:05.000Z' },
      destination: { kind: 'scratch' },
    });
  });

  it('shows the refusal reason for a moment in a gap', async () => {
    const s = setup({
      'restore.plan': () => {
        throw new ApiError('RESTORE_NOT_COVERED', 'inside a WAL gap: segment …1234 is missing');
      },
    });
    s.restore.getState().pick(SERVER_ID, T);
    await flush();
    await flush();
    const preview = s.restore.getState().previews[SERVER_ID];
    expect(preview?.status).toBe('refused');
    expect(preview && 'error' in preview && preview.error.message).toMatch(/gap/);
  });

  it('asks once for a burst of picks (arrow key repeat) and shows the last', async () => {
    const s = setup();
    const restore = createRestoreStore(s.api, s.jobs, s.scratch, { previewDelayMs: 20 });
    for (let i = 0; i < 5; i++) restore.getState().pick(SERVER_ID, T + i * 1000);
    await new Promise((r) => setTimeout(r, 60));
    expect(s.calls.filter((c) => c.name === 'restore.plan')).toHaveLength(1);
    expect(restore.getState().previews[SERVER_ID]).toMatchObject({
      status: 'ready',
      time: T + 4000,
    });
    restore.dispose();
  });
});

describe('restore wizard store', () => {
  it('opens with the moment from the timeline and resets the plan when a choice changes', async () => {
    const s = setup();
    await readyToStart(s);
    s.restore.getState().setConfirmed(SERVER_ID, true);
    s.restore.getState().setDestination(SERVER_ID, { kind: 'host', serverId: OTHER_SERVER_ID });
    const wizard = s.restore.getState().wizards[SERVER_ID];
    expect(wizard?.plan.status).toBe('idle');
    expect(wizard?.confirmed).toBe(false);
    expect(wizard?.target).toEqual({ kind: 'time', time: T });
  });

  it('keeps a refused plan with its reason', async () => {
    const s = setup({
      'restore.plan': () => {
        throw new ApiError('RESTORE_NOT_COVERED', 'before the first backup');
      },
    });
    s.restore.getState().open(SERVER_ID, { target: { kind: 'time', time: T } });
    await s.restore.getState().loadPlan(SERVER_ID);
    const plan = s.restore.getState().wizards[SERVER_ID]?.plan;
    expect(plan?.status).toBe('refused');
  });

  it('starts only after the confirmation, with the keep hours', async () => {
    const s = setup();
    await readyToStart(s);
    await s.restore.getState().start(SERVER_ID);
    expect(s.calls.some((c) => c.name === 'restore.start')).toBe(false);
    s.restore.getState().setKeepHours(SERVER_ID, '48');
    s.restore.getState().setConfirmed(SERVER_ID, true);
    await s.restore.getState().start(SERVER_ID);
    expect(s.calls.find((c) => c.name === 'restore.start')?.input).toEqual({
      serverId: SERVER_ID,
      target: { kind: 'time', time: '2026-11-26T13:00:05.000Z' },
      destination: { kind: 'scratch' },
      keepHours: 48,
    });
    const wizard = s.restore.getState().wizards[SERVER_ID];
    expect(wizard?.step).toBe('run');
    expect(wizard?.run).toEqual({ status: 'running', jobId: JOB_ID, phases: [] });
  });

  it('follows the job through its phases to the verified result', async () => {
    const s = setup();
    await readyToStart(s);
    s.restore.getState().setConfirmed(SERVER_ID, true);
    await s.restore.getState().start(SERVER_ID);
    s.emit('job.progress', restoreJob({ phase: 'download', seq: 2 }));
    s.emit('job.progress', restoreJob({ phase: 'replay', seq: 3, etaSeconds: 30 }));
    s.emit('job.progress', restoreJob({ phase: 'verify', seq: 4 }));
    expect(s.restore.getState().wizards[SERVER_ID]?.run).toMatchObject({
      status: 'running',
      phases: ['download', 'replay', 'verify'],
    });
    s.emit(
      'job.finished',
      restoreJob({ state: 'succeeded', phase: 'done', seq: 5, result: scratchEnv() }),
    );
    await flush();
    const wizard = s.restore.getState().wizards[SERVER_ID];
    expect(wizard?.run.status).toBe('succeeded');
    expect(wizard?.step).toBe('result');
    expect(wizard?.scratch?.port).toBe(55432);
  });

  it('finds the scratch environment in scratch.list when the job result does not carry it', async () => {
    const s = setup({
      'scratch.list': () => [scratchEnv({ createdAt: '2026-11-26T14:24:00.000Z' })],
    });
    await readyToStart(s);
    s.restore.getState().setConfirmed(SERVER_ID, true);
    await s.restore.getState().start(SERVER_ID);
    s.emit('job.finished', restoreJob({ state: 'succeeded', seq: 5, result: { ok: true } }));
    await flush();
    await flush();
    const wizard = s.restore.getState().wizards[SERVER_ID];
    expect(wizard?.step).toBe('result');
    expect(wizard?.scratch?.id).toBe(SCRATCH_ID);
  });

  it('stays on the run step when the restore fails, and cancel goes through jobs.cancel', async () => {
    const s = setup();
    await readyToStart(s);
    s.restore.getState().setConfirmed(SERVER_ID, true);
    await s.restore.getState().start(SERVER_ID);
    await s.restore.getState().cancel(SERVER_ID);
    expect(s.calls.find((c) => c.name === 'jobs.cancel')?.input).toEqual({ id: JOB_ID });
    await flush();
    const wizard = s.restore.getState().wizards[SERVER_ID];
    expect(wizard?.run.status).toBe('cancelled');
    expect(wizard?.step).toBe('run');
    s.restore.getState().goTo(SERVER_ID, 'summary');
    expect(s.restore.getState().wizards[SERVER_ID]?.run.status).toBe('idle');
  });

  it('marks a failed restore as failed', async () => {
    const s = setup();
    await readyToStart(s);
    s.restore.getState().setConfirmed(SERVER_ID, true);
    await s.restore.getState().start(SERVER_ID);
    s.emit(
      'job.finished',
      restoreJob({
        state: 'failed',
        phase: 'replay',
        seq: 9,
        error: { code: 'RESTORE_FAILED', message: 'boom' },
      }),
    );
    await flush();
    expect(s.restore.getState().wizards[SERVER_ID]?.run).toMatchObject({ status: 'failed' });
  });

  it('shows a rejected start (e.g. a moment no longer covered) without a job', async () => {
    const s = setup({
      'restore.start': () => {
        throw new ApiError('RESTORE_NOT_COVERED', 'gap');
      },
    });
    await readyToStart(s);
    s.restore.getState().setConfirmed(SERVER_ID, true);
    await s.restore.getState().start(SERVER_ID);
    expect(s.restore.getState().wizards[SERVER_ID]?.run).toMatchObject({ status: 'rejected' });
    expect(s.restore.getState().wizards[SERVER_ID]?.step).toBe('summary');
  });

  it('picks up a running restore job after a reload', () => {
    const s = setup();
    s.jobs.getState().apply(restoreJob({ phase: 'replay', seq: 7 }));
    s.restore.getState().open(SERVER_ID);
    const wizard = s.restore.getState().wizards[SERVER_ID];
    expect(wizard?.step).toBe('run');
    expect(wizard?.run).toEqual({ status: 'running', jobId: JOB_ID, phases: ['replay'] });
    // A target from the timeline does not replace a running restore.
    s.restore.getState().open(SERVER_ID, { target: { kind: 'latest' } });
    expect(s.restore.getState().wizards[SERVER_ID]?.step).toBe('run');
  });

  it('drops the scratch environment of the result page', async () => {
    const s = setup();
    await readyToStart(s);
    s.restore.getState().setConfirmed(SERVER_ID, true);
    await s.restore.getState().start(SERVER_ID);
    s.emit('job.finished', restoreJob({ state: 'succeeded', seq: 5, result: scratchEnv() }));
    await flush();
    await s.restore.getState().dropScratch(SERVER_ID);
    expect(s.calls.find((c) => c.name === 'scratch.drop')?.input).toEqual({ id: SCRATCH_ID });
    expect(s.restore.getState().wizards[SERVER_ID]?.scratch?.state).toBe('removed');
    expect(s.scratch.getState().list.map((x) => x.state)).toEqual(['removed']);
    // The result page stays on a new visit; "restore another" starts over.
    s.restore.getState().open(SERVER_ID);
    expect(s.restore.getState().wizards[SERVER_ID]?.step).toBe('result');
    s.restore.getState().reset(SERVER_ID);
    expect(s.restore.getState().wizards[SERVER_ID]?.step).toBe('target');
  });
});

describe('restore over production (danger path)', () => {
  const target = { kind: 'time' as const, time: '2026-11-26T13:00:05.000Z' };
  const productionJob = (over: Partial<Job> = {}) =>
    job({
      kind: 'restore.production',
      title: 'Restore production ERP',
      phase: 'starting',
      ...over,
    });

  function setupProduction(handlers: Handlers = {}) {
    return setup({
      'restore.production.plan': () => productionPlan(),
      'restore.production.start': () => ({ jobId: JOB_ID }),
      'jobs.get': () => productionJob(),
      ...handlers,
    });
  }

  it('asks for the plan and starts only once the database name is typed exactly', async () => {
    const s = setupProduction();
    const store = s.production.getState();
    await store.openProduction(SERVER_ID, target);
    const state = () => s.production.getState().production[SERVER_ID];
    expect(state()?.open).toBe(true);
    expect(state()?.plan.status).toBe('ready');
    for (const typed of ['', 'er', 'ERP', 'erp ']) {
      store.setConfirmText(SERVER_ID, typed);
      expect(productionConfirmed(state()!.plan, typed)).toBe(false);
      await store.startProduction(SERVER_ID);
      expect(s.calls.some((c) => c.name === 'restore.production.start')).toBe(false);
    }
    store.setConfirmText(SERVER_ID, 'erp');
    expect(productionConfirmed(state()!.plan, state()!.typed)).toBe(true);
    await store.startProduction(SERVER_ID);
    expect(s.calls.find((c) => c.name === 'restore.production.start')?.input).toEqual({
      serverId: SERVER_ID,
      target,
      confirmName: 'erp',
    });
    expect(state()?.run).toEqual({ status: 'running', jobId: JOB_ID, phases: [] });
    // The name cannot be changed while the restore runs.
    store.setConfirmText(SERVER_ID, 'x');
    expect(state()?.typed).toBe('erp');
  });

  it('follows the job to its result with the safety snapshot', async () => {
    const s = setupProduction();
    const store = s.production.getState();
    await store.openProduction(SERVER_ID, target);
    store.setConfirmText(SERVER_ID, 'erp');
    await store.startProduction(SERVER_ID);
    s.emit('job.progress', productionJob({ phase: 'safety-snapshot', seq: 2 }));
    s.emit('job.progress', productionJob({ phase: 'restore', seq: 3 }));
    s.emit(
      'job.finished',
      productionJob({ state: 'succeeded', seq: 9, result: productionResult() }),
    );
    await flush();
    const state = s.production.getState().production[SERVER_ID];
    expect(state?.run).toEqual({
      status: 'succeeded',
      jobId: JOB_ID,
      phases: ['safety-snapshot', 'restore'],
    });
    expect(state?.result?.safetySnapshot.label).toBe('20261101-000013F_20261126-142300I');
    // Closing after the result starts the next attempt from scratch.
    store.closeProduction(SERVER_ID);
    expect(s.production.getState().production[SERVER_ID]).toMatchObject({ open: false, typed: '' });
  });

  it('shows a refused cancel, a wrong name and an uncovered target as main reports them', async () => {
    const s = setupProduction({
      'jobs.cancel': () => {
        throw new ApiError('CONFLICT', 'Production is being restored');
      },
    });
    const store = s.production.getState();
    await store.openProduction(SERVER_ID, target);
    store.setConfirmText(SERVER_ID, 'erp');
    await store.startProduction(SERVER_ID);
    await expect(store.cancelProduction(SERVER_ID)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(s.production.getState().production[SERVER_ID]?.run.status).toBe('running');
    // Closing hides the dialog but keeps following the running restore.
    store.closeProduction(SERVER_ID);
    expect(s.production.getState().production[SERVER_ID]).toMatchObject({
      open: false,
      run: { status: 'running' },
    });

    const refused = setupProduction({
      'restore.production.plan': () => {
        throw new ApiError('RESTORE_NOT_COVERED', 'inside a gap');
      },
    });
    await refused.production.getState().openProduction(SERVER_ID, target);
    expect(refused.production.getState().production[SERVER_ID]?.plan.status).toBe('refused');

    const mismatch = setupProduction({
      'restore.production.start': () => {
        throw new ApiError('CONFIRMATION_MISMATCH', 'type erp');
      },
    });
    await mismatch.production.getState().openProduction(SERVER_ID, target);
    mismatch.production.getState().setConfirmText(SERVER_ID, 'erp');
    await mismatch.production.getState().startProduction(SERVER_ID);
    expect(mismatch.production.getState().production[SERVER_ID]?.run).toMatchObject({
      status: 'rejected',
      error: { code: 'CONFIRMATION_MISMATCH' },
    });
  });

  it('picks up a running restore over production instead of a new plan', async () => {
    const s = setupProduction();
    s.jobs.getState().apply(productionJob({ phase: 'replay', seq: 4 }));
    await s.production.getState().openProduction(SERVER_ID, target);
    expect(s.production.getState().production[SERVER_ID]?.run).toEqual({
      status: 'running',
      jobId: JOB_ID,
      phases: ['replay'],
    });
    expect(s.calls.some((c) => c.name === 'restore.production.plan')).toBe(false);
    expect(isProductionJobOf(productionJob(), SERVER_ID)).toBe(true);
    expect(isProductionJobOf(restoreJob(), SERVER_ID)).toBe(false);
  });

  it('has every production phase and message in German and English', () => {
    for (const phase of PRODUCTION_RESTORE_PHASES) {
      expect(hasMessage(`production.phase.${phase}`)).toBe(true);
    }
    const keys = Object.keys(en).filter((k) => k.startsWith('production.'));
    expect(keys.length).toBeGreaterThan(30);
    for (const key of keys) expect(de[key as keyof typeof de]).toBeTruthy();
  });
});

describe('scratch store', () => {
  it('lists, drops and reloads after a restore job ends', async () => {
    const { api, emit, calls } = fakeApi({
      'scratch.list': () => [scratchEnv()],
      'scratch.drop': ({ id }) => scratchEnv({ id, state: 'removed' }),
    });
    const store = createScratchStore(api);
    await store.getState().load();
    expect(store.getState().loaded).toBe(true);
    const dropped = await store.getState().drop(SCRATCH_ID);
    expect(dropped.state).toBe('removed');
    expect(store.getState().list).toHaveLength(1);
    emit('job.finished', restoreJob({ state: 'succeeded' }));
    emit('job.finished', job({ state: 'succeeded' }));
    await flush();
    expect(calls.filter((c) => c.name === 'scratch.list')).toHaveLength(2);
    store.dispose();
  });

  it('throws a refused drop to the caller and keeps the list', async () => {
    const { api } = fakeApi({
      'scratch.list': () => [scratchEnv()],
      'scratch.drop': () => {
        throw new ApiError('NOT_FOUND', 'gone');
      },
    });
    const store = createScratchStore(api);
    await store.getState().load();
    await expect(store.getState().drop(SCRATCH_ID)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(store.getState().list[0]?.state).toBe('running');
  });
});
