import { describe, expect, it } from 'vitest';
import { INSTALL_PHASES as INSTALLER_PHASES } from '../../electron/services/agent-install/install-job';
import { AgentInstallRequest } from '../../shared/contract/agent';
import { de } from '../../renderer/app/i18n/de';
import { en } from '../../renderer/app/i18n/en';
import { hasMessage } from '../../renderer/app/i18n/translate';
import {
  defaultDraft,
  INSTALL_PHASES,
  normalizePath,
  expectedInstallPhases,
  stepIndex,
  toInstallRequest,
  validateDraft,
  validateNewPath,
  WIZARD_STEPS,
  type ClusterDraft,
} from '../../renderer/stores/agent-install-model';
import { createAgentInstallStore } from '../../renderer/stores/agent-install';
import { notePhase, phaseList as listPhases } from '../../renderer/stores/job-run';
import { createJobsStore } from '../../renderer/stores/jobs';
import { ApiError } from '../../renderer/lib/api-client';
import {
  DATA_DIR,
  detection,
  fakeApi,
  flush,
  job,
  JOB_ID,
  plan,
  server,
  SERVER_ID,
} from './renderer-fakes';

function draft(over: Partial<ClusterDraft> = {}): ClusterDraft {
  return { ...defaultDraft(detection()), dataDirectory: DATA_DIR, ...over };
}

/** The install's phase list: the install phases are what it expects unless told otherwise. */
const phaseList = (
  seen: readonly string[],
  job: Parameters<typeof listPhases>[1],
  expected: readonly string[] = INSTALL_PHASES,
) => listPhases(seen, job, expected);

describe('wizard draft', () => {
  it('chooses no cluster when there are several, and the only one when there is one', () => {
    const several = defaultDraft(detection());
    expect(several.dataDirectory).toBeNull();
    expect(validateDraft(several, detection()).cluster?.key).toBe('wizard.error.cluster');
    const [, only] = detection().clusters;
    expect(defaultDraft(detection({ clusters: [only!] })).dataDirectory).toBe(DATA_DIR);
    expect(defaultDraft(detection({ clusters: [] })).dataDirectory).toBeNull();
  });

  it('starts daily 02:30, 7/4/3 and 30 days, no alerts', () => {
    const d = { ...defaultDraft(detection()), dataDirectory: DATA_DIR };
    expect(d.snapshotAt).toBe('02:30');
    expect(d.retention).toEqual({ daily: '7', weekly: '4', monthly: '3', pitrDays: '30' });
    expect(d.email.enabled).toBe(false);
    expect(validateDraft(d, detection())).toEqual({});
    expect(defaultDraft(null).dataDirectory).toBeNull();
  });

  it('becomes a request the contract accepts, with the same defaults main would use', () => {
    const request = toInstallRequest(SERVER_ID, draft(), true);
    const parsed = AgentInstallRequest.parse(request);
    expect(parsed.schedule).toEqual({
      snapshotAt: '02:30',
      heartbeatIntervalSeconds: 60,
      retentionIntervalSeconds: 86_400,
    });
    expect(parsed.retention).toEqual({ daily: 7, weekly: 4, monthly: 3, pitrDays: 30 });
    expect(parsed.alerts.smtp).toBeUndefined();
    expect(parsed.alerts.webhooks).toEqual([]);
    expect(parsed.alerts.pushMonitorUrl).toBeUndefined();
    expect(parsed.confirmRestart).toBe(true);
    expect(parsed.dataDirectory).toBe(DATA_DIR);
  });

  it('carries paths, a short interval, e-mail, webhook and push monitor through', () => {
    const d = draft({
      attachedPaths: ['/srv/uploads'],
      snapshotIntervalMinutes: ' 5 ',
      heartbeatIntervalSeconds: '10',
      email: {
        enabled: true,
        host: ' mail.example.com ',
        port: '465',
        secure: true,
        from: 'kumiko@example.com',
        to: 'ops@example.com, dpo@example.com',
        username: '',
        password: 'pw',
      },
      webhook: { url: 'https://hooks.example.com/x', format: 'teams' },
      pushMonitorUrl: 'https://hc.example.com/ping/1',
    });
    expect(validateDraft(d, detection())).toEqual({});
    const parsed = AgentInstallRequest.parse(toInstallRequest(SERVER_ID, d, false));
    expect(parsed.attachedPaths).toEqual(['/srv/uploads']);
    expect(parsed.schedule.snapshotIntervalSeconds).toBe(300);
    expect(parsed.schedule.heartbeatIntervalSeconds).toBe(10);
    expect(parsed.alerts.smtp).toEqual({
      host: 'mail.example.com',
      port: 465,
      secure: true,
      from: 'kumiko@example.com',
      to: ['ops@example.com', 'dpo@example.com'],
      password: 'pw',
    });
    expect(parsed.alerts.webhooks).toEqual([
      { url: 'https://hooks.example.com/x', format: 'teams' },
    ]);
    expect(parsed.alerts.pushMonitorUrl).toBe('https://hc.example.com/ping/1');
  });

  it('names every invalid field with a message key', () => {
    const errors = validateDraft(
      draft({
        dataDirectory: '/not/detected',
        snapshotAt: '25:00',
        snapshotIntervalMinutes: '0',
        heartbeatIntervalSeconds: '2',
        retention: { daily: '0', weekly: '53', monthly: 'x', pitrDays: '91' },
        email: { ...draft().email, enabled: true, port: '0', from: 'nope', to: 'a@b.de, bad' },
        webhook: { url: 'ftp://x', format: 'json' },
        pushMonitorUrl: 'not a url',
      }),
      detection(),
    );
    expect(Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v?.key]))).toEqual({
      cluster: 'wizard.error.cluster',
      snapshotAt: 'wizard.error.time',
      snapshotInterval: 'wizard.error.range',
      heartbeat: 'wizard.error.range',
      'retention.daily': 'wizard.error.range',
      'retention.weekly': 'wizard.error.range',
      'retention.monthly': 'wizard.error.range',
      'retention.pitrDays': 'wizard.error.range',
      'email.host': 'wizard.error.required',
      'email.port': 'wizard.error.range',
      'email.from': 'wizard.error.email',
      'email.to': 'wizard.error.emailNamed',
      'webhook.url': 'wizard.error.url',
      pushMonitorUrl: 'wizard.error.url',
    });
    expect(errors['retention.weekly']?.params).toEqual({ min: 0, max: 52 });
    expect(errors['email.to']?.params).toEqual({ address: 'bad' });
  });

  it('accepts what the contract accepts at the limits', () => {
    const d = draft({
      heartbeatIntervalSeconds: '5',
      retention: { daily: '1', weekly: '0', monthly: '0', pitrDays: '90' },
    });
    expect(validateDraft(d, detection())).toEqual({});
    expect(() => AgentInstallRequest.parse(toInstallRequest(SERVER_ID, d, false))).not.toThrow();
  });

  it('only adds absolute, new, plain folder paths', () => {
    expect(validateNewPath('/srv/uploads', [])).toBeNull();
    expect(validateNewPath('  ', [])?.key).toBe('wizard.error.required');
    expect(validateNewPath('srv/uploads', [])?.key).toBe('wizard.error.absolute');
    expect(validateNewPath('/', [])?.key).toBe('wizard.error.root');
    expect(validateNewPath('/srv/../etc', [])?.key).toBe('wizard.error.dots');
    expect(validateNewPath('/srv/uploads/', ['/srv/uploads'])?.key).toBe('wizard.error.duplicate');
    expect(normalizePath(' /srv//uploads/ ')).toBe('/srv/uploads');
    expect(normalizePath('/')).toBe('/');
  });

  it('has five steps in order', () => {
    expect(WIZARD_STEPS).toEqual(['storage', 'cluster', 'review', 'install', 'done']);
    expect(stepIndex('review')).toBe(2);
  });
});

describe('install phase list', () => {
  it('knows the installer’s phases, in its order, with words in both languages', () => {
    expect([...INSTALL_PHASES]).toEqual([...INSTALLER_PHASES]);
    for (const id of INSTALL_PHASES) {
      const key = `install.phase.${id}`;
      expect(hasMessage(key), key).toBe(true);
      if (hasMessage(key)) expect(de[key]).not.toBe(en[key]);
    }
  });

  it('ticks seen phases, marks the current one and lists what is still to come', () => {
    let seen = notePhase([], 'starting');
    expect(seen).toEqual([]);
    seen = notePhase(seen, 'preflight');
    seen = notePhase(seen, 'packages');
    expect(notePhase(seen, 'packages')).toBe(seen);
    const items = phaseList(seen, { state: 'running', phase: 'packages' });
    expect(items.slice(0, 3)).toEqual([
      { id: 'preflight', status: 'done' },
      { id: 'packages', status: 'current' },
      { id: 'runtime', status: 'pending' },
    ]);
    expect(items.at(-1)).toEqual({ id: 'verify', status: 'pending' });
  });

  it('does not promise the Node upload when the server has its own Node', () => {
    const seen = ['preflight', 'packages'];
    const own = phaseList(
      seen,
      { state: 'running', phase: 'packages' },
      expectedInstallPhases({ uploadsNodeRuntime: false }),
    );
    expect(own.map((i) => i.id)).not.toContain('runtime');
    const upload = phaseList(
      seen,
      { state: 'running', phase: 'packages' },
      expectedInstallPhases({ uploadsNodeRuntime: true }),
    );
    expect(upload[2]).toEqual({ id: 'runtime', status: 'pending' });
  });

  it('leaves out expected phases that were skipped, and shows unknown ones as they come', () => {
    const seen = ['preflight', 'files', 'write-unit-file'];
    const items = phaseList(seen, { state: 'running', phase: 'write-unit-file' });
    expect(items.map((i) => i.id).slice(0, 4)).toEqual([
      'preflight',
      'files',
      'write-unit-file',
      'stanza',
    ]);
    expect(items.find((i) => i.id === 'packages')).toBeUndefined();
    expect(items[2]?.status).toBe('current');
  });

  it('marks the phase a job failed or was cancelled in, and all done on success', () => {
    const seen = ['preflight', 'packages', 'stanza'];
    expect(phaseList(seen, { state: 'failed', phase: 'stanza' })[2]).toEqual({
      id: 'stanza',
      status: 'failed',
    });
    expect(phaseList(seen, { state: 'cancelled', phase: 'stanza' })[2]?.status).toBe('cancelled');
    const done = phaseList(seen, { state: 'succeeded', phase: 'done' });
    expect(done.map((i) => i.status)).toEqual(['done', 'done', 'done']);
  });
});

describe('agent install store', () => {
  function setup(handlers: Parameters<typeof fakeApi>[0] = {}) {
    const fake = fakeApi({
      'jobs.get': () => job({ seq: 0 }),
      'agent.plan': () => plan(),
      'agent.install': () => ({ jobId: JOB_ID }),
      ...handlers,
    });
    const jobs = createJobsStore(fake.api);
    const store = createAgentInstallStore(fake.api, jobs);
    return { ...fake, jobs, store };
  }

  it('walks from plan to install, records phases and lands on done', async () => {
    const { store, emit, calls } = setup();
    const s = store.getState();
    s.open(server());
    expect(store.getState().wizards[SERVER_ID]?.step).toBe('storage');
    // Two clusters: none is chosen until the admin picks one.
    expect(store.getState().wizards[SERVER_ID]?.draft.dataDirectory).toBeNull();
    s.updateDraft(SERVER_ID, (d) => ({ ...d, dataDirectory: DATA_DIR }));
    s.goTo(SERVER_ID, 'review');
    await s.loadPlan(SERVER_ID);
    expect(store.getState().wizards[SERVER_ID]?.plan).toMatchObject({ status: 'ready' });
    s.setConfirmRestart(SERVER_ID, true);
    await s.install(SERVER_ID);
    expect(calls.find((c) => c.name === 'agent.install')?.input).toMatchObject({
      serverId: SERVER_ID,
      dataDirectory: DATA_DIR,
      confirmRestart: true,
    });
    expect(store.getState().wizards[SERVER_ID]?.step).toBe('install');

    emit('job.progress', job({ seq: 2, phase: 'preflight' }));
    emit('job.progress', job({ seq: 3, phase: 'packages' }));
    emit('job.progress', job({ seq: 4, phase: 'packages', done: 3 }));
    const install = store.getState().wizards[SERVER_ID]?.install;
    expect(install).toMatchObject({ status: 'running', phases: ['preflight', 'packages'] });

    // Leaving the install step is not possible while it runs.
    s.goTo(SERVER_ID, 'cluster');
    expect(store.getState().wizards[SERVER_ID]?.step).toBe('install');

    emit('job.finished', job({ seq: 5, state: 'succeeded', phase: 'done' }));
    await flush();
    expect(store.getState().wizards[SERVER_ID]).toMatchObject({
      step: 'done',
      install: { status: 'succeeded', phases: ['preflight', 'packages'] },
    });
  });

  it('plans with the whole request, and plans again after the choices change', async () => {
    const { store, calls } = setup();
    const s = store.getState();
    s.open(server());
    s.updateDraft(SERVER_ID, (d) => ({
      ...d,
      dataDirectory: DATA_DIR,
      attachedPaths: ['/srv/uploads'],
    }));
    s.goTo(SERVER_ID, 'review');
    await s.loadPlan(SERVER_ID);
    // The scripts the plan shows (and hashes) depend on these choices, not only the cluster.
    expect(calls.find((c) => c.name === 'agent.plan')?.input).toMatchObject({
      serverId: SERVER_ID,
      dataDirectory: DATA_DIR,
      attachedPaths: ['/srv/uploads'],
    });
    expect(store.getState().wizards[SERVER_ID]?.plan.status).toBe('ready');
    s.updateDraft(SERVER_ID, (d) => ({ ...d, attachedPaths: [] }));
    expect(store.getState().wizards[SERVER_ID]?.plan.status).toBe('idle');
  });

  it('keeps the failed phase and allows going back to review for another try', async () => {
    const { store, emit } = setup();
    const s = store.getState();
    s.open(server());
    s.goTo(SERVER_ID, 'review');
    await s.install(SERVER_ID);
    emit('job.progress', job({ seq: 2, phase: 'stanza' }));
    emit(
      'job.finished',
      job({
        seq: 3,
        state: 'failed',
        phase: 'stanza',
        error: { code: 'AGENT_INSTALL_FAILED', message: 'stanza-create failed' },
      }),
    );
    await flush();
    expect(store.getState().wizards[SERVER_ID]).toMatchObject({
      step: 'install',
      install: { status: 'failed', phases: ['stanza'] },
    });
    s.goTo(SERVER_ID, 'review');
    expect(store.getState().wizards[SERVER_ID]).toMatchObject({
      step: 'review',
      install: { status: 'idle' },
    });
  });

  it('stays on review with the error when main refuses to start', async () => {
    const { store } = setup({
      'agent.install': () => {
        throw new ApiError('RESTART_NOT_CONFIRMED', 'confirm the restart');
      },
    });
    const s = store.getState();
    s.open(server());
    s.goTo(SERVER_ID, 'review');
    await s.install(SERVER_ID);
    const wizard = store.getState().wizards[SERVER_ID];
    expect(wizard?.step).toBe('review');
    expect(wizard?.install).toMatchObject({ status: 'rejected' });
    if (wizard?.install.status === 'rejected')
      expect(wizard.install.error.code).toBe('RESTART_NOT_CONFIRMED');
  });

  it('a different cluster drops the plan and the restart confirmation', async () => {
    const { store } = setup();
    const s = store.getState();
    s.open(server());
    await s.loadPlan(SERVER_ID);
    s.setConfirmRestart(SERVER_ID, true);
    s.updateDraft(SERVER_ID, (d) => ({ ...d, attachedPaths: ['/srv'] }));
    expect(store.getState().wizards[SERVER_ID]?.confirmRestart).toBe(true);
    s.updateDraft(SERVER_ID, (d) => ({ ...d, dataDirectory: '/old' }));
    expect(store.getState().wizards[SERVER_ID]).toMatchObject({
      plan: { status: 'idle' },
      confirmRestart: false,
    });
  });

  it('picks up a running install job of the server when opened again', async () => {
    const { store, jobs } = setup();
    jobs.getState().apply(job({ seq: 3, phase: 'backup' }));
    store.getState().open(server());
    expect(store.getState().wizards[SERVER_ID]).toMatchObject({
      step: 'install',
      install: { status: 'running', jobId: JOB_ID, phases: ['backup'] },
    });
  });
});
