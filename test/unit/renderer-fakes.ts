import type { AgentInstallPlan, ServerHealth } from '../../shared/contract/agent';
import type { CommandInput, CommandName, CommandOutput } from '../../shared/contract/commands';
import type { Detection, Job, Server } from '../../shared/contract/domain';
import type { EventName, EventPayload } from '../../shared/contract/events';
import type { StorageCheckReport } from '../../shared/contract/storage';
import { ApiError, type ApiClient } from '../../renderer/lib/api-client';

// Fakes for renderer store tests: an ApiClient over plain functions and sample contract values.

export type Handlers = {
  [N in CommandName]?: (input: CommandInput<N>) => CommandOutput<N> | Promise<CommandOutput<N>>;
};

/** An ApiClient over plain functions, with emit() standing in for main's events. */
export function fakeApi(handlers: Handlers) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: { name: string; input: unknown }[] = [];
  const api: ApiClient = {
    async call(name, input) {
      calls.push({ name, input });
      const handler = handlers[name] as ((i: unknown) => unknown) | undefined;
      if (!handler) throw new ApiError('UNKNOWN_COMMAND', name);
      return (await handler(input)) as never;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  return { api, emit, calls };
}

export const SERVER_ID = '7f1c2a57-4d0e-4b8e-9a43-1f0c6b9c2d11';
export const JOB_ID = '0c7b5b0e-2a55-4c1c-8d4e-6a1e9b6f1a22';
export const NOW = '2026-11-26T14:23:00.000Z';
export const DATA_DIR = '/var/lib/postgresql/15/main';

export function detection(over: Partial<Detection> = {}): Detection {
  return {
    os: { id: 'debian', name: 'Debian GNU/Linux', version: '12', pretty: 'Debian GNU/Linux 12' },
    kernel: '6.1.0',
    arch: 'x86_64',
    cpuCount: 2,
    sudo: 'root',
    nodeVersion: null,
    clusters: [
      { version: '14', dataDirectory: '/old', port: 5433, dataChecksums: false, running: false },
      { version: '15', dataDirectory: DATA_DIR, port: 5432, dataChecksums: true, running: true },
    ],
    disks: [],
    detectedAt: NOW,
    ...over,
  };
}

export function server(over: Partial<Server> = {}): Server {
  return {
    id: SERVER_ID,
    name: 'ERP',
    host: '10.0.0.5',
    port: 22,
    user: 'root',
    authKind: 'privateKey',
    publicKey: null,
    hostKey: { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:abc', pinnedAt: NOW },
    status: 'connected',
    statusMessage: null,
    lastConnectedAt: NOW,
    detection: detection(),
    createdAt: NOW,
    ...over,
  };
}

export function job(over: Partial<Job> = {}): Job {
  return {
    id: JOB_ID,
    kind: 'agent.install',
    title: 'Install the agent on ERP',
    state: 'running',
    phase: 'starting',
    done: 0,
    total: 10,
    etaSeconds: null,
    seq: 1,
    error: null,
    result: null,
    subjectId: SERVER_ID,
    createdAt: NOW,
    updatedAt: NOW,
    ...over,
  };
}

export function report(over: Partial<StorageCheckReport> = {}): StorageCheckReport {
  return {
    endpointHost: 'localhost:9000',
    provider: 'own',
    location: 'eu-central-1',
    versioning: 'Disabled',
    objectLock: 'Disabled',
    items: [
      { id: 'endpoint', state: 'passed', detail: 'own storage' },
      { id: 'tls', state: 'passed', detail: 'verified with the given CA' },
    ],
    passed: true,
    ...over,
  };
}

export function plan(over: Partial<AgentInstallPlan> = {}): AgentInstallPlan {
  return {
    serverId: SERVER_ID,
    cluster: { version: '15', dataDirectory: DATA_DIR, port: 5432 },
    restartRequired: true,
    packagesToInstall: ['pgbackrest', 'restic'],
    settingsToChange: [{ name: 'archive_mode', from: 'off', to: 'on' }],
    uploadsNodeRuntime: false,
    alreadyInstalled: false,
    warnings: [],
    ...over,
  };
}

export function health(over: Partial<ServerHealth> = {}): ServerHealth {
  return {
    serverId: SERVER_ID,
    serverName: 'ERP',
    level: 'ok',
    tiles: [
      { id: 'agent', level: 'ok', value: '0.1.0', reason: 'running' },
      { id: 'captureLag', level: 'ok', value: '12 s', reason: 'within 60 s' },
    ],
    source: 'server',
    checkedAt: NOW,
    ...over,
  };
}

export const flush = () => new Promise((r) => setTimeout(r, 0));
