import { describe, expect, it } from 'vitest';
import type { Job } from '../../shared/contract/domain';
import type { RebuildPlan, RebuildRequest, RebuildResult } from '../../shared/contract/rebuild';
import { createJobsStore } from '../../renderer/stores/jobs';
import { createRebuildStore } from '../../renderer/stores/rebuild';
import { KitImportRequest } from '../../shared/contract/kit-import';
import {
  kitImportRequest,
  parseTypedEarlierKeys,
  rebuildRequest,
  unfinishedRebuild,
} from '../../renderer/stores/rebuild-model';
import {
  fakeApi,
  flush,
  job,
  JOB_ID,
  OTHER_SERVER_ID,
  SERVER_ID,
  syntheticCatalog,
  type Handlers,
} from './renderer-fakes';

// The disaster-recovery wizard's store (issue 19): kit import, plan, run and hand-over, the
// cancel that asks first, and an unfinished rebuild offered again on opening.

const rebuildJob = (over: Partial<Job> = {}) =>
  job({ kind: 'rebuild.start', title: 'Rebuild', phase: 'preflight', ...over });

function plan(request: RebuildRequest, ready = true): RebuildPlan {
  return {
    serverId: request.serverId,
    hostId: request.hostId,
    target: request.target,
    dataDirectory: '/var/lib/postgresql/15/main',
    port: request.port ?? 5432,
    pgMajor: '15',
    baseBackup: { label: '20261126-010000F', sizeBytes: 1e9 },
    targetTime: null,
    checks: [{ name: 'disk', ok: ready, detail: '20 GB free' }],
    ready,
    estimatedSeconds: 300,
    warnings: [],
  };
}

const result: RebuildResult = {
  sourceServerId: SERVER_ID,
  serverId: OTHER_SERVER_ID,
  dataDirectory: '/var/lib/postgresql/15/main',
  port: 5432,
  restoredUpTo: '2026-11-26T14:00:00.000Z',
  baseBackup: '20261126-010000F',
  rtoSeconds: 612.3,
  seconds: { restore: 400 },
  checks: [{ name: 'archiving', ok: true, detail: '3 WAL segments archived' }],
  files: [],
  leftToAdmin: [],
  resumed: false,
  handover: { directory: '/x', sha256: 'a'.repeat(64), principal: 'kumiko-app@h', publicKey: 'k' },
};

function setup(handlers: Handlers = {}) {
  const fake = fakeApi({
    'recoveryKit.import': () => ({
      serverId: SERVER_ID,
      serverName: 'ERP',
      recoveryPoints: 3,
      verifiedManifests: 3,
      restorableUntil: '2026-11-26T14:00:00.000Z',
    }),
    'catalog.get': () => syntheticCatalog(),
    'rebuild.plan': (request) => plan(request as RebuildRequest),
    'rebuild.start': () => ({ jobId: JOB_ID }),
    'rebuild.resume': () => ({ jobId: JOB_ID }),
    'rebuild.handover': () => ({
      verdict: 'valid',
      principal: 'kumiko-app@h',
      file: { fileName: 'h.zip', base64: '', bytes: 0, sha256: 'b'.repeat(64) },
    }),
    'jobs.get': () => rebuildJob(),
    'jobs.cancel': () => rebuildJob({ state: 'cancelled', seq: 50 }),
    ...handlers,
  });
  const jobs = createJobsStore(fake.api);
  const store = createRebuildStore(fake.api, jobs);
  return { ...fake, jobs, store, w: () => store.getState().wizard };
}

describe('rebuild wizard model', () => {
  it('sends typed values trimmed over the text copy, and nothing when both are empty', () => {
    expect(kitImportRequest({ text: ' \n', typed: { bucket: '  ' }, ownStorage: false })).toBe(
      null,
    );
    expect(
      kitImportRequest({ text: 'KIT', typed: { bucket: ' b1 ', region: '' }, ownStorage: true }),
    ).toEqual({ text: 'KIT', values: { bucket: 'b1' }, ownStorage: true });
  });

  it('reads earlier agent keys typed as the sheet prints them, and names the lines it cannot pair', () => {
    const key1 = `ssh-ed25519 ${'A'.repeat(68)} kumiko-agent@db1`;
    const key2 = `ssh-ed25519 ${'B'.repeat(68)}`;
    const typed = [
      'Signed until / Signierte bis 2026-10-01T08:00:00.000Z:',
      `  ${key1}  `,
      '',
      `2026-11-02T09:30:00Z ${key2}`,
    ].join('\n');
    const { keys, unreadable } = parseTypedEarlierKeys(typed);
    expect(unreadable).toEqual([]);
    expect(keys).toEqual([
      { publicKey: key1, retiredAt: '2026-10-01T08:00:00.000Z' },
      { publicKey: key2, retiredAt: '2026-11-02T09:30:00Z' },
    ]);
    // What the form sends is what the contract accepts.
    const request = kitImportRequest({
      text: 'KIT',
      typed: {},
      earlierKeys: typed,
      ownStorage: false,
    });
    expect(request?.values?.earlierAgentKeys).toEqual(keys);
    expect(KitImportRequest.safeParse(request).success).toBe(true);
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(
      kitImportRequest({
        text: 'KIT',
        typed: {},
        caCertificate: `  ${pem} \n\n`,
        ownStorage: false,
      })?.values,
    ).toEqual({ caCertificate: `${pem}\n` });
    // A moment without its key, a key without its moment, a mistyped key: named, not sent.
    const bad = parseTypedEarlierKeys(
      [
        'Signierte bis 2026-10-01T08:00:00.000Z:',
        'Signierte bis 2026-10-02T08:00:00.000Z:',
        key2,
        key1,
        'ssh-ed25519 AAAA-too-short',
      ].join('\n'),
    );
    expect(bad.keys).toEqual([{ publicKey: key2, retiredAt: '2026-10-02T08:00:00.000Z' }]);
    expect(bad.unreadable).toEqual([1, 4, 5]);
  });

  it('makes a request only with source, target, host and a valid port', () => {
    const latest = { kind: 'latest' } as const;
    expect(rebuildRequest(SERVER_ID, latest, OTHER_SERVER_ID, '5433')).toEqual({
      serverId: SERVER_ID,
      target: latest,
      hostId: OTHER_SERVER_ID,
      port: 5433,
    });
    expect(rebuildRequest(SERVER_ID, latest, OTHER_SERVER_ID, '70000')).toBe(null);
    expect(rebuildRequest(SERVER_ID, latest, null, '5432')).toBe(null);
    expect(rebuildRequest(SERVER_ID, { kind: 'point', label: null }, OTHER_SERVER_ID, '1')).toBe(
      null,
    );
  });

  it('offers the newest rebuild when it runs or stopped unfinished, not once a later one ended', () => {
    const failed = rebuildJob({ id: 'a', state: 'failed', createdAt: '2026-11-26T10:00:00Z' });
    const done = rebuildJob({ id: 'b', state: 'succeeded', createdAt: '2026-11-26T11:00:00Z' });
    const other = job({ id: 'c', kind: 'restore.start', state: 'failed' });
    expect(unfinishedRebuild([failed, other])?.id).toBe('a');
    expect(unfinishedRebuild([failed, done])).toBe(null);
    expect(unfinishedRebuild([rebuildJob({ state: 'cancelled' })])).toBe(null);
    expect(unfinishedRebuild([rebuildJob({ state: 'interrupted' })])?.state).toBe('interrupted');
  });
});

describe('rebuild wizard store', () => {
  it('imports the kit, keeps no copy of it, plans, runs and hands over', async () => {
    const s = setup();
    s.store.getState().setKitText('the kit text with secrets');
    await s.store.getState().importKit();
    expect(s.w().step).toBe('target');
    expect(s.w().kitDraft.text).toBe('');
    expect(s.w().source).toMatchObject({ id: SERVER_ID, name: 'ERP' });
    await flush();
    expect(s.w().catalog).not.toBe(null);

    s.store.getState().setHost(OTHER_SERVER_ID);
    s.store.getState().setPort('5433');
    await s.store.getState().loadPlan();
    expect(s.w().plan.status).toBe('ready');
    // Not without the confirmation.
    await s.store.getState().start();
    expect(s.calls.some((c) => c.name === 'rebuild.start')).toBe(false);
    s.store.getState().setConfirmed(true);
    await s.store.getState().start();
    expect(s.calls.find((c) => c.name === 'rebuild.start')?.input).toMatchObject({ port: 5433 });
    expect(s.w().step).toBe('run');

    s.emit('job.progress', rebuildJob({ id: JOB_ID, state: 'running', phase: 'restore', seq: 2 }));
    expect(s.w().run).toMatchObject({ status: 'running', phases: ['restore'] });
    s.emit('job.finished', rebuildJob({ id: JOB_ID, state: 'succeeded', seq: 9, result }));
    await flush();
    expect(s.w().step).toBe('handover');
    expect(s.w().result?.rtoSeconds).toBe(612.3);
    expect(s.w().handover).toMatchObject({ status: 'ready', file: { verdict: 'valid' } });
  });

  it('does not start a plan whose pre-flight failed', async () => {
    const s = setup({ 'rebuild.plan': (r) => plan(r as RebuildRequest, false) });
    s.store.getState().useImported(SERVER_ID, 'ERP');
    s.store.getState().setHost(OTHER_SERVER_ID);
    await s.store.getState().loadPlan();
    s.store.getState().setConfirmed(true);
    await s.store.getState().start();
    expect(s.calls.some((c) => c.name === 'rebuild.start')).toBe(false);
  });

  it('asks before cancelling, and cancels only after the yes', async () => {
    const s = setup();
    s.store.getState().useImported(SERVER_ID, 'ERP');
    s.store.getState().setHost(OTHER_SERVER_ID);
    await s.store.getState().loadPlan();
    s.store.getState().setConfirmed(true);
    await s.store.getState().start();
    s.store.getState().askCancel();
    expect(s.w().cancelAsked).toBe(true);
    s.store.getState().keepRunning();
    expect(s.calls.some((c) => c.name === 'jobs.cancel')).toBe(false);
    s.store.getState().askCancel();
    await s.store.getState().cancel();
    expect(s.calls.filter((c) => c.name === 'jobs.cancel')).toHaveLength(1);
    expect(s.w().cancelAsked).toBe(false);
  });

  it('offers an unfinished rebuild on opening, and resumes it', async () => {
    const s = setup({ 'jobs.list': () => [rebuildJob({ id: 'old', state: 'failed' })] });
    await s.jobs.getState().load();
    s.store.getState().open();
    expect(s.w().unfinished?.id).toBe('old');
    await s.store.getState().resume('old');
    expect(s.calls.find((c) => c.name === 'rebuild.resume')?.input).toEqual({ jobId: 'old' });
    expect(s.w()).toMatchObject({ step: 'run', unfinished: null, run: { status: 'running' } });
  });

  it('shows a rebuild that still runs on opening', async () => {
    const s = setup({ 'jobs.list': () => [rebuildJob({ id: JOB_ID, state: 'running' })] });
    await s.jobs.getState().load();
    s.store.getState().open();
    expect(s.w()).toMatchObject({ step: 'run', run: { status: 'running', jobId: JOB_ID } });
  });
});
