import { describe, expect, it } from 'vitest';
import { DRILL_PHASES } from '../../shared/agent/drill';
import { DRILL_JOB_KIND, DRILL_JOB_PHASES } from '../../shared/contract/drill-phases';
import type { Job } from '../../shared/contract/domain';
import { de } from '../../renderer/app/i18n/de';
import { en } from '../../renderer/app/i18n/en';
import { hasMessage } from '../../renderer/app/i18n/translate';
import { sparkline } from '../../renderer/features/drills/sparkline';
import { ApiError } from '../../renderer/lib/api-client';
import { canCountersign, createDrillsStore, type OpenReport } from '../../renderer/stores/drills';
import {
  emptySmokeCheck,
  intervalParts,
  isDrillJobOf,
  parseInterval,
  smokeCheckProblems,
  toIntervalDraft,
  toSmokeChecks,
  trendPoints,
} from '../../renderer/stores/drills-model';
import { createJobsStore } from '../../renderer/stores/jobs';
import {
  DRILL_ID,
  drillEntry,
  drillOverview,
  fakeApi,
  flush,
  job,
  JOB_ID,
  reportDetail,
  SERVER_ID,
  type Handlers,
} from './renderer-fakes';

const drillJob = (over: Partial<Job> = {}) =>
  job({ kind: DRILL_JOB_KIND, title: 'Restore drill on ERP', total: null, ...over });

function setup(handlers: Handlers = {}) {
  const fake = fakeApi({
    'drill.overview': () => drillOverview(),
    'reports.list': () => drillOverview().reports,
    'drill.start': () => ({ jobId: JOB_ID }),
    'jobs.get': () => drillJob(),
    'jobs.cancel': () => drillJob({ state: 'cancelled', seq: 99 }),
    ...handlers,
  });
  const jobs = createJobsStore(fake.api);
  const drills = createDrillsStore(fake.api, jobs);
  return { ...fake, jobs, drills };
}

describe('drill phases and labels', () => {
  it('lists the agent’s phases, then archive, and names each in both languages', () => {
    expect(DRILL_JOB_PHASES).toEqual([...DRILL_PHASES, 'archive']);
    for (const phase of DRILL_JOB_PHASES) {
      const key = `drills.phase.${phase}`;
      expect(hasMessage(key), key).toBe(true);
      if (hasMessage(key)) expect(de[key]).not.toBe(en[key]);
    }
  });
});

describe('drills model', () => {
  it('recognises a server’s drill job', () => {
    expect(isDrillJobOf(drillJob(), SERVER_ID)).toBe(true);
    expect(isDrillJobOf(drillJob({ kind: 'restore.start' }), SERVER_ID)).toBe(false);
    expect(isDrillJobOf(drillJob({ subjectId: 'other' }), SERVER_ID)).toBe(false);
  });

  it('turns the newest drills into a trend, oldest first', () => {
    const points = trendPoints(drillOverview().reports);
    expect(points.map((p) => p.rto)).toEqual([301, null, 252]);
    expect(points.map((p) => p.passed)).toEqual([true, false, true]);
    expect(trendPoints(drillOverview().reports, 1)).toHaveLength(1);
  });

  it('edits the interval in the largest unit that fits and parses it back', () => {
    expect(toIntervalDraft(91 * 86_400)).toEqual({ enabled: true, amount: '91', unit: 'days' });
    expect(toIntervalDraft(7200)).toEqual({ enabled: true, amount: '2', unit: 'hours' });
    expect(toIntervalDraft(20)).toEqual({ enabled: true, amount: '1', unit: 'minutes' });
    expect(toIntervalDraft(0)).toMatchObject({ enabled: false, amount: '91', unit: 'days' });
    expect(toIntervalDraft(null)).toMatchObject({ enabled: true, unit: 'days' });
    expect(parseInterval({ enabled: true, amount: '91', unit: 'days' })).toBe(91 * 86_400);
    expect(parseInterval({ enabled: false, amount: 'x', unit: 'days' })).toBe(0);
    for (const amount of ['', '0', '1.5', '-3', 'ten', '401'])
      expect(parseInterval({ enabled: true, amount, unit: 'days' }), amount).toBeNull();
  });

  it('reads intervals in the largest whole unit', () => {
    expect(intervalParts(91 * 86_400)).toEqual({ count: 91, unit: 'days' });
    expect(intervalParts(3 * 3600)).toEqual({ count: 3, unit: 'hours' });
    expect(intervalParts(120)).toEqual({ count: 2, unit: 'minutes' });
    expect(intervalParts(20)).toEqual({ count: 20, unit: 'seconds' });
  });

  it('validates smoke checks like the agent and trims what it saves', () => {
    expect(smokeCheckProblems(emptySmokeCheck())).toEqual({
      name: 'nameRequired',
      sql: 'sqlRequired',
    });
    const atLeast = {
      ...emptySmokeCheck(),
      name: 'x',
      sql: 'select 1',
      expect: 'atLeast' as const,
    };
    expect(smokeCheckProblems({ ...atLeast, value: 'many' })).toEqual({ value: 'valueNumber' });
    expect(smokeCheckProblems({ ...atLeast, value: ' 3 ' })).toEqual({});
    expect(smokeCheckProblems({ ...atLeast, database: '', value: '1' })).toEqual({
      database: 'databaseInvalid',
    });
    expect(smokeCheckProblems({ ...atLeast, name: 'n'.repeat(201), value: '1' }).name).toBe(
      'nameTooLong',
    );
    expect(toSmokeChecks([{ ...atLeast, name: ' Invoices ', value: ' 3 ' }])).toEqual([
      { name: 'Invoices', database: 'postgres', sql: 'select 1', expect: 'atLeast', value: '3' },
    ]);
    expect(toSmokeChecks([emptySmokeCheck()])).toBeNull();
    expect(toSmokeChecks([])).toEqual([]);
  });

  it('draws a sparkline from zero to the maximum and breaks it at a missing value', () => {
    const line = sparkline([100, null, 50, 100], 100, 40, 0);
    expect(line.max).toBe(100);
    expect(line.points.map((p) => [p.x, p.y, p.index])).toEqual([
      [0, 0, 0],
      [66.7, 20, 2],
      [100, 0, 3],
    ]);
    expect(line.path).toBe('M0 0 M66.7 20 L100 0');
    expect(sparkline([], 100, 40).path).toBe('');
    expect(sparkline([0, 0], 100, 40, 4).points.every((p) => p.y === 36)).toBe(true);
  });
});

describe('drills store', () => {
  it('loads the overview and keeps errors per server', async () => {
    const ok = setup();
    await ok.drills.getState().load(SERVER_ID);
    expect(ok.drills.getState().servers[SERVER_ID]).toMatchObject({
      loading: false,
      error: null,
      overview: { nextDrillAt: '2027-02-26T03:15:00.000Z' },
      reports: [{ drillId: DRILL_ID }, {}, {}],
    });
    const bad = setup({
      'drill.overview': () => {
        throw new ApiError('NOT_FOUND', 'No server.');
      },
    });
    await bad.drills.getState().load(SERVER_ID);
    expect(bad.drills.getState().servers[SERVER_ID]?.error?.code).toBe('NOT_FOUND');
  });

  it('shows the archive’s history before the server has answered', async () => {
    let answer: (o: ReturnType<typeof drillOverview>) => void = () => undefined;
    const s = setup({
      'drill.overview': () => new Promise((resolve) => (answer = resolve)),
    });
    const loading = s.drills.getState().load(SERVER_ID);
    await flush();
    expect(s.drills.getState().servers[SERVER_ID]).toMatchObject({
      loading: true,
      overview: null,
      reports: [{ drillId: DRILL_ID }, {}, {}],
    });
    answer(drillOverview({ reports: [] }));
    await loading;
    expect(s.drills.getState().servers[SERVER_ID]?.reports).toEqual([]);
  });

  it('follows a started drill through its phases to success and reloads the history', async () => {
    const s = setup();
    await s.drills.getState().start(SERVER_ID);
    expect(s.drills.getState().servers[SERVER_ID]?.run).toMatchObject({
      status: 'running',
      jobId: JOB_ID,
    });
    s.emit('job.progress', drillJob({ phase: 'prepare', seq: 2 }));
    s.emit('job.progress', drillJob({ phase: 'restore', done: 3, total: 10, seq: 3 }));
    s.emit('job.progress', drillJob({ phase: 'restore', done: 6, total: 10, seq: 4 }));
    s.emit('job.progress', drillJob({ phase: 'verify', seq: 5 }));
    expect(s.drills.getState().servers[SERVER_ID]?.run).toMatchObject({
      phases: ['prepare', 'restore', 'verify'],
    });
    const before = s.calls.filter((c) => c.name === 'drill.overview').length;
    s.emit(
      'job.finished',
      drillJob({ state: 'succeeded', phase: 'done', seq: 9, result: drillEntry() }),
    );
    await flush();
    expect(s.drills.getState().servers[SERVER_ID]?.run).toMatchObject({
      status: 'succeeded',
      drillId: DRILL_ID,
      error: null,
    });
    expect(s.calls.filter((c) => c.name === 'drill.overview').length).toBe(before + 1);
  });

  it('keeps the failed checks’ message and finds the archived report of a failed drill', async () => {
    const s = setup();
    await s.drills.getState().start(SERVER_ID);
    const error = {
      code: 'DRILL_FAILED',
      message: `The drill failed: No corruption (pg_amcheck) did not pass. Its report ${DRILL_ID} is archived with the evidence.`,
    };
    s.emit('job.finished', drillJob({ state: 'failed', phase: 'archive', seq: 9, error }));
    await flush();
    expect(s.drills.getState().servers[SERVER_ID]?.run).toMatchObject({
      status: 'failed',
      error,
      drillId: DRILL_ID,
      phases: ['archive'],
    });
  });

  it('shows a refused start and cancels a running drill through jobs.cancel', async () => {
    const refused = setup({
      'drill.start': () => {
        throw new ApiError('CONFLICT', 'A drill is already running on ERP.');
      },
    });
    await refused.drills.getState().start(SERVER_ID);
    expect(refused.drills.getState().servers[SERVER_ID]?.run).toMatchObject({
      status: 'rejected',
      error: { code: 'CONFLICT' },
    });
    const s = setup();
    await s.drills.getState().start(SERVER_ID);
    await s.drills.getState().cancel(SERVER_ID);
    await flush();
    expect(s.calls.some((c) => c.name === 'jobs.cancel')).toBe(true);
    expect(s.drills.getState().servers[SERVER_ID]?.run.status).toBe('cancelled');
  });

  it('picks up a drill that is still running when the page opens again', async () => {
    const s = setup();
    s.jobs.getState().apply(drillJob({ phase: 'restore', seq: 4 }));
    s.drills.getState().watch(SERVER_ID);
    expect(s.drills.getState().servers[SERVER_ID]?.run).toMatchObject({
      status: 'running',
      phases: ['restore'],
    });
    s.emit('job.progress', drillJob({ phase: 'verify', seq: 5 }));
    expect(s.drills.getState().servers[SERVER_ID]?.run).toMatchObject({
      phases: ['restore', 'verify'],
    });
  });

  it('opens a report, fetches its PDF, syncs and saves settings', async () => {
    const s = setup({
      'reports.get': () => reportDetail(),
      'reports.pdf': () => ({
        fileName: 'r.pdf',
        base64: 'JVBERg==',
        bytes: 4,
        sha256: 'd'.repeat(64),
      }),
      'drill.sync': () => ({ imported: 1, importedDrillIds: [DRILL_ID], refused: [], pending: [] }),
      'drill.settings.save': (input) => ({
        intervalSeconds: input.intervalSeconds,
        smokeChecks: [],
        amcheckHeapAllIndexed: input.amcheckHeapAllIndexed ?? false,
        scheduler: 'restarted',
        message: 'Saved.',
      }),
    });
    await s.drills.getState().openReport(SERVER_ID, DRILL_ID);
    expect(s.drills.getState().report).toMatchObject({ status: 'ready', drillId: DRILL_ID });
    expect((await s.drills.getState().pdf(SERVER_ID, DRILL_ID)).fileName).toBe('r.pdf');
    s.drills.getState().closeReport();
    expect(s.drills.getState().report).toBeNull();

    await s.drills.getState().sync(SERVER_ID);
    expect(s.drills.getState().servers[SERVER_ID]?.sync).toMatchObject({
      status: 'done',
      result: { imported: 1 },
    });
    await s.drills.getState().saveSettings(SERVER_ID, {
      intervalSeconds: 3600,
      smokeChecks: [],
      amcheckHeapAllIndexed: true,
    });
    expect(s.drills.getState().servers[SERVER_ID]?.settings).toMatchObject({
      status: 'saved',
      result: { scheduler: 'restarted' },
    });
    expect(s.calls.find((c) => c.name === 'drill.settings.save')?.input).toEqual({
      serverId: SERVER_ID,
      intervalSeconds: 3600,
      smokeChecks: [],
      amcheckHeapAllIndexed: true,
    });
  });

  it('reports a report that cannot be read', async () => {
    const s = setup({
      'reports.get': () => {
        throw new ApiError('NOT_FOUND', 'No archived report.');
      },
    });
    await s.drills.getState().openReport(SERVER_ID, DRILL_ID);
    expect(s.drills.getState().report).toMatchObject({
      status: 'failed',
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('countersigning an agent-signed report', () => {
  const ready = (entry = drillEntry()): OpenReport => ({
    status: 'ready',
    serverId: SERVER_ID,
    drillId: DRILL_ID,
    detail: reportDetail({ entry }),
    countersign: { status: 'idle' },
  });

  it('offers Countersign only for a read report the agent signed and the app did not', () => {
    expect(canCountersign(ready())).toBe(true);
    expect(canCountersign(ready(drillEntry({ countersigned: true })))).toBe(false);
    expect(canCountersign(ready(drillEntry({ signer: 'app' })))).toBe(false);
    expect(canCountersign({ status: 'loading', serverId: SERVER_ID, drillId: DRILL_ID })).toBe(
      false,
    );
    const error = new ApiError('NOT_FOUND', 'No archived report.');
    expect(
      canCountersign({ status: 'failed', serverId: SERVER_ID, drillId: DRILL_ID, error }),
    ).toBe(false);
    expect(canCountersign(null)).toBe(false);
  });

  it('calls reports.countersign once, then shows the countersignature in the report and the history', async () => {
    let answer: (entry: ReturnType<typeof drillEntry>) => void = () => undefined;
    const s = setup({
      'reports.get': () => reportDetail(),
      'reports.countersign': () => new Promise((resolve) => (answer = resolve)),
    });
    await s.drills.getState().load(SERVER_ID);
    await s.drills.getState().openReport(SERVER_ID, DRILL_ID);
    expect(canCountersign(s.drills.getState().report)).toBe(true);

    const signing = s.drills.getState().countersign(SERVER_ID, DRILL_ID);
    expect(s.drills.getState().report).toMatchObject({ countersign: { status: 'busy' } });
    // A second click while main signs sends nothing: the button is busy.
    await s.drills.getState().countersign(SERVER_ID, DRILL_ID);
    answer(drillEntry({ countersigned: true }));
    await signing;

    expect(s.calls.filter((c) => c.name === 'reports.countersign')).toEqual([
      { name: 'reports.countersign', input: { serverId: SERVER_ID, drillId: DRILL_ID } },
    ]);
    const report = s.drills.getState().report;
    expect(report).toMatchObject({
      status: 'ready',
      countersign: { status: 'idle' },
      detail: { entry: { drillId: DRILL_ID, countersigned: true } },
    });
    expect(canCountersign(report)).toBe(false);
    const server = s.drills.getState().servers[SERVER_ID];
    expect(server?.reports?.map((r) => [r.drillId, r.countersigned])).toEqual([
      [DRILL_ID, true],
      ['drill-20260828T031500Z', false],
      ['drill-20260529T031500Z', false],
    ]);
    expect(server?.overview?.reports[0]?.countersigned).toBe(true);
  });

  it('keeps a refusal on the open report and leaves the report as it was', async () => {
    const s = setup({
      'reports.get': () => reportDetail(),
      'reports.countersign': () => {
        throw new ApiError('CONFLICT', `Report ${DRILL_ID} is already countersigned by this app.`);
      },
    });
    await s.drills.getState().openReport(SERVER_ID, DRILL_ID);
    await s.drills.getState().countersign(SERVER_ID, DRILL_ID);
    expect(s.drills.getState().report).toMatchObject({
      status: 'ready',
      countersign: {
        status: 'failed',
        error: { code: 'CONFLICT', message: expect.stringContaining('already countersigned') },
      },
      detail: { entry: { countersigned: false } },
    });
  });

  it('drops an answer for a report that was closed meanwhile', async () => {
    const s = setup({
      'reports.get': () => reportDetail(),
      'reports.countersign': () => drillEntry({ countersigned: true }),
    });
    await s.drills.getState().openReport(SERVER_ID, DRILL_ID);
    const signing = s.drills.getState().countersign(SERVER_ID, DRILL_ID);
    s.drills.getState().closeReport();
    await signing;
    expect(s.drills.getState().report).toBeNull();
  });

  it('names the action and its busy state in both languages', () => {
    expect(en['report.countersign']).toBe('Countersign');
    expect(de['report.countersign']).toBe('Gegenzeichnen');
    expect(de['report.countersignBusy']).toBe('Wird gegengezeichnet …');
    expect(en['report.countersignBusy']).not.toBe(de['report.countersignBusy']);
  });
});
