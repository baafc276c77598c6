import { describe, expect, it, vi } from 'vitest';
import type { HostKeyProbe, Job, Server } from '../../shared/contract/domain';
import { ApiError, describeDetails } from '../../renderer/lib/api-client';
import { createConnectFlowStore } from '../../renderer/stores/connect-flow';
import { createJobsStore } from '../../renderer/stores/jobs';
import { createServersStore } from '../../renderer/stores/servers';
import { fakeApi, type Handlers } from './renderer-fakes';

const ID = '7f1c2a57-4d0e-4b8e-9a43-1f0c6b9c2d11';
const JOB = '0c7b5b0e-2a55-4c1c-8d4e-6a1e9b6f1a22';
const NOW = '2026-11-26T14:23:00.000Z';

function server(over: Partial<Server> = {}): Server {
  return {
    id: ID,
    name: 'ERP',
    host: '10.0.0.5',
    port: 22,
    user: 'root',
    authKind: 'privateKey',
    publicKey: null,
    hostKey: null,
    status: 'new',
    statusMessage: null,
    lastConnectedAt: null,
    detection: null,
    createdAt: NOW,
    protectedDataDirectory: null,
    ...over,
  };
}

function job(over: Partial<Job> = {}): Job {
  return {
    id: JOB,
    kind: 'servers.connect',
    title: 'Connect ERP',
    state: 'running',
    phase: 'detect',
    done: 1,
    total: 4,
    etaSeconds: 3,
    seq: 1,
    error: null,
    result: null,
    subjectId: ID,
    createdAt: NOW,
    updatedAt: NOW,
    ...over,
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('servers store', () => {
  it('loads the list and refreshes one server on servers.changed', async () => {
    let current = server();
    const { api, emit } = fakeApi({
      'servers.list': () => [current],
      'servers.get': () => current,
    });
    const store = createServersStore(api);
    await store.getState().load();
    expect(store.getState().loaded).toBe(true);
    expect(store.getState().servers.map((s) => s.status)).toEqual(['new']);

    current = server({ status: 'connected' });
    emit('servers.changed', { serverId: ID });
    await flush();
    expect(store.getState().servers[0]?.status).toBe('connected');
  });

  it('drops a server main no longer knows', async () => {
    const { api, emit } = fakeApi({
      'servers.list': () => [server()],
      'servers.get': () => {
        throw new ApiError('NOT_FOUND', 'gone');
      },
    });
    const store = createServersStore(api);
    await store.getState().load();
    emit('servers.changed', { serverId: ID });
    await flush();
    expect(store.getState().servers).toEqual([]);
  });

  it('keeps load errors as ApiError and throws command errors to the caller', async () => {
    const { api } = fakeApi({
      'servers.list': () => {
        throw new ApiError('SECRET_STORE_LOCKED', 'locked');
      },
      'servers.add': () => {
        throw new ApiError('INVALID_INPUT', 'bad', [{ path: ['port'], message: 'Too big' }]);
      },
    });
    const store = createServersStore(api);
    await store.getState().load();
    expect(store.getState().error?.code).toBe('SECRET_STORE_LOCKED');
    await expect(
      store
        .getState()
        .add({ name: 'x', host: 'h', port: 99999, user: 'root', auth: { kind: 'generate' } }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('applies only the newest answer when refreshes overtake each other', async () => {
    const answers: ((s: Server) => void)[] = [];
    const { api } = fakeApi({ 'servers.get': () => new Promise<Server>((r) => answers.push(r)) });
    const store = createServersStore(api);
    const first = store.getState().refresh(ID);
    const second = store.getState().refresh(ID);
    answers[1]?.(server({ status: 'connected' }));
    await second;
    answers[0]?.(server({ status: 'unreachable' }));
    await first;
    expect(store.getState().servers[0]?.status).toBe('connected');
  });
});

describe('jobs store', () => {
  it('keeps the newest seq per job and drops stale events', () => {
    const { api, emit } = fakeApi({});
    const store = createJobsStore(api);
    emit('job.progress', job({ seq: 2, done: 2 }));
    emit('job.progress', job({ seq: 1, done: 1 }));
    emit('job.progress', job({ seq: 2, done: 99 }));
    expect(store.getState().jobs[JOB]?.done).toBe(2);
    emit('job.finished', job({ seq: 3, state: 'succeeded', done: 4 }));
    expect(store.getState().jobs[JOB]?.state).toBe('succeeded');
    emit('job.progress', job({ seq: 2, state: 'running' }));
    expect(store.getState().jobs[JOB]?.state).toBe('succeeded');
  });

  it('waitFor resolves on job.finished, and from jobs.get when the event was missed', async () => {
    const { api, emit } = fakeApi({ 'jobs.get': () => job({ seq: 1 }) });
    const store = createJobsStore(api);
    const waiting = store.getState().waitFor(JOB);
    emit(
      'job.finished',
      job({ seq: 5, state: 'failed', error: { code: 'SSH_UNREACHABLE', message: 'x' } }),
    );
    await expect(waiting).resolves.toMatchObject({ state: 'failed' });

    const other = '5b8f3f7e-1111-4c1c-8d4e-6a1e9b6f1a22';
    const { api: api2 } = fakeApi({
      'jobs.get': () => job({ id: other, seq: 9, state: 'succeeded' }),
    });
    const store2 = createJobsStore(api2);
    await expect(store2.getState().waitFor(other)).resolves.toMatchObject({ state: 'succeeded' });
  });
});

describe('connect flow', () => {
  const unpinned: HostKeyProbe = {
    algorithm: 'ssh-ed25519',
    fingerprint: 'SHA256:new',
    status: 'unpinned',
    pinnedFingerprint: null,
  };

  function setup(handlers: Handlers) {
    const fake = fakeApi(handlers);
    const servers = createServersStore(fake.api);
    const jobs = createJobsStore(fake.api);
    const flow = createConnectFlowStore(servers, jobs);
    return { ...fake, servers, jobs, flow };
  }

  it('asks before trusting, pins the shown fingerprint, then follows the connect job', async () => {
    const trust = vi.fn(() =>
      server({ hostKey: { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:new', pinnedAt: NOW } }),
    );
    const { flow, emit, calls } = setup({
      'servers.probeHostKey': () => unpinned,
      'servers.trustHostKey': trust,
      'servers.connect': () => ({ jobId: JOB }),
      'servers.get': () => server({ status: 'connected' }),
      'jobs.get': () => job(),
    });
    await flow.getState().start(server());
    expect(flow.getState().flows[ID]).toEqual({ step: 'confirm', probe: unpinned });
    expect(calls.map((c) => c.name)).toEqual(['servers.probeHostKey']);

    await flow.getState().trust(ID);
    expect(trust).toHaveBeenCalledWith({ id: ID, fingerprint: 'SHA256:new' });
    expect(flow.getState().flows[ID]).toEqual({ step: 'running', jobId: JOB });

    emit('job.finished', job({ seq: 2, state: 'succeeded' }));
    await flush();
    expect(flow.getState().flows[ID]).toEqual({ step: 'succeeded', jobId: JOB });
  });

  it('cancel leaves the key untrusted', async () => {
    const { flow, calls } = setup({ 'servers.probeHostKey': () => unpinned });
    await flow.getState().start(server());
    flow.getState().cancel(ID);
    expect(flow.getState().flows[ID]).toEqual({ step: 'cancelled' });
    await flow.getState().trust(ID);
    expect(calls.map((c) => c.name)).not.toContain('servers.trustHostKey');
  });

  it('a changed key on probe is refused with both fingerprints', async () => {
    const { flow } = setup({
      'servers.probeHostKey': () => ({
        algorithm: 'ssh-ed25519',
        fingerprint: 'SHA256:evil',
        status: 'changed',
        pinnedFingerprint: 'SHA256:old',
      }),
    });
    await flow.getState().start(server());
    expect(flow.getState().flows[ID]).toEqual({
      step: 'changed',
      pinned: 'SHA256:old',
      presented: 'SHA256:evil',
    });
  });

  it('a connect job failing with HOST_KEY_CHANGED ends in the changed state', async () => {
    const pinned = server({
      status: 'connected',
      hostKey: { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:old', pinnedAt: NOW },
    });
    const { flow, emit, servers } = setup({
      'servers.list': () => [pinned],
      'servers.connect': () => ({ jobId: JOB }),
      'servers.get': () => ({ ...pinned, status: 'host-key-changed' }),
      'jobs.get': () => job(),
      'servers.probeHostKey': () => ({
        algorithm: 'ssh-ed25519',
        fingerprint: 'SHA256:evil',
        status: 'changed',
        pinnedFingerprint: 'SHA256:old',
      }),
    });
    await servers.getState().load();
    await flow.getState().start(pinned);
    expect(flow.getState().flows[ID]).toEqual({ step: 'running', jobId: JOB });
    emit(
      'job.finished',
      job({ seq: 2, state: 'failed', error: { code: 'HOST_KEY_CHANGED', message: 'changed' } }),
    );
    await flush();
    await flush();
    expect(flow.getState().flows[ID]).toEqual({
      step: 'changed',
      pinned: 'SHA256:old',
      presented: 'SHA256:evil',
    });
  });

  it('servers.connect refusing with HOST_KEY_CHANGED also ends in the changed state', async () => {
    const { flow } = setup({
      'servers.connect': () => {
        throw new ApiError('HOST_KEY_CHANGED', 'changed');
      },
      'servers.probeHostKey': () => {
        throw new ApiError('SSH_UNREACHABLE', 'down');
      },
    });
    await flow
      .getState()
      .start(
        server({ hostKey: { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:old', pinnedAt: NOW } }),
      );
    expect(flow.getState().flows[ID]).toEqual({
      step: 'changed',
      pinned: 'SHA256:old',
      presented: null,
    });
  });

  it('other failures keep their code', async () => {
    const { flow } = setup({
      'servers.probeHostKey': () => {
        throw new ApiError('SSH_UNREACHABLE', 'connect ECONNREFUSED');
      },
    });
    await flow.getState().start(server());
    const state = flow.getState().flows[ID];
    expect(state?.step).toBe('failed');
    expect(state?.step === 'failed' && state.error.code).toBe('SSH_UNREACHABLE');
  });
});

describe('error details', () => {
  it('turns zod issues into "path: message" lines', () => {
    expect(
      describeDetails([
        { path: ['host'], message: 'host must be a host name or IP address' },
        { path: ['auth', 'privateKey'], message: 'Too small' },
        { message: 'no path' },
      ]),
    ).toEqual([
      'host: host must be a host name or IP address',
      'auth.privateKey: Too small',
      'no path',
    ]);
  });

  it('shows other details as JSON and nothing for none', () => {
    expect(describeDetails({ pinned: 'SHA256:a' })).toEqual(['{"pinned":"SHA256:a"}']);
    expect(describeDetails(undefined)).toEqual([]);
  });
});
