import type { AgentInstallPlan, ServerHealth } from '../../shared/contract/agent';
import type { CommandInput, CommandName, CommandOutput } from '../../shared/contract/commands';
import type { Detection, Job, Server } from '../../shared/contract/domain';
import type {
  Catalog,
  CatalogBackup,
  CoverageRange,
  ProductionRestorePlan,
  ProductionRestoreResult,
  RestorePlan,
  ScratchEnvironment,
} from '../../shared/contract/recovery';
import type { DrillOverview, ReportDetail } from '../../shared/contract/drill';
import type { EventName, EventPayload } from '../../shared/contract/events';
import type { DrillReportEntry } from '../../shared/contract/reports';
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
    protectedDataDirectory: null,
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
    protection: 'unknown',
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
    scripts: [
      {
        id: 'read-settings',
        name: 'read PostgreSQL settings',
        runAs: 'cluster-user',
        osUser: 'postgres',
        what: 'Reads the archive settings.',
        whyRoot: null,
        kind: 'stdin',
        command: 'sudo -n runuser -u postgres -- sh -s',
        script: "set -e\npsql -c 'SELECT 1'\n",
        sha256: 'a'.repeat(64),
      },
      {
        id: 'write-restic-password',
        name: 'write restic password',
        runAs: 'root',
        osUser: 'root',
        what: 'Writes the restic repository password (mode 600).',
        whyRoot: 'Only root may read it.',
        kind: 'stdin',
        command: 'sudo -n sh -s',
        script:
          "set -e\ncat > /etc/kumiko-agent/restic.pass <<'KUMIKO_EOF_7f3c9a'\n<secret: restic repository password>\nKUMIKO_EOF_7f3c9a\n",
        sha256: 'b'.repeat(64),
      },
    ],
    agentBundle: { bytes: 1_234_567, sha256: 'c'.repeat(64) },
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
      // Green needs the recovery kit confirmed (issue 15 §3).
      { id: 'recoveryKit', level: 'ok', value: 'confirmed', reason: 'confirmed by anna' },
    ],
    source: 'server',
    checkedAt: NOW,
    ...over,
  };
}

export const flush = () => new Promise((r) => setTimeout(r, 0));

// Recovery (issue 4): catalog, restore plan and scratch environment samples.

export const SCRATCH_ID = '5a0d7c1e-9b3f-4e62-8a71-3c2f4d5e6f70';
export const OTHER_SERVER_ID = '2b9e4f61-7c3d-4a58-b0e2-9f8d7c6b5a43';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface SyntheticCatalogOptions {
  /** The catalog's builtAt (default NOW). */
  now?: string;
  /** WAL segments, one a minute, ending `lagSeconds` before now (default 43,000 ≈ 30 days). */
  segments?: number;
  /** Recovery points spread over the segment span (default 14: 7 daily, 4 weekly, 3 monthly). */
  backups?: number;
  lagSeconds?: number;
  /** Put a 5-minute WAL gap 10 days back (default true). */
  gap?: boolean;
}

/**
 * A catalog shaped like a month of capture: one WAL segment a minute, 14 recovery points, a
 * gap, drills and an erasure. Used by the timeline's unit tests and its benchmark.
 */
export function syntheticCatalog(options: SyntheticCatalogOptions = {}): Catalog {
  const builtAt = Date.parse(options.now ?? NOW);
  const count = options.segments ?? 43_000;
  const lag = options.lagSeconds ?? 42;
  const last = builtAt - lag * 1000;
  // The gap's five missing minutes come on top, so that `count` segments remain.
  const span = count - 1 + (options.gap === false ? 0 : 5);
  const first = last - span * MINUTE_MS;
  const segmentTimes = Array.from({ length: span + 1 }, (_, i) => first + i * MINUTE_MS);
  const iso = (t: number) => new Date(t).toISOString();
  const walName = (i: number) =>
    `00000001${'0'.repeat(8)}${i.toString(16).toUpperCase().padStart(8, '0')}`;
  const n = options.backups ?? 14;
  const step = (last - first) / n;
  const backups: CatalogBackup[] = Array.from({ length: n }, (_, i) => {
    const stop = Math.round(first + step * i + 10 * MINUTE_MS);
    const newest = n - 1 - i;
    const tier = newest < 7 ? 'daily' : newest < 11 ? 'weekly' : 'monthly';
    return {
      label: `20261101-${String(i).padStart(6, '0')}F`,
      type: i % 7 === 0 ? 'full' : 'incr',
      timeStart: iso(stop - 5 * MINUTE_MS),
      timeStop: iso(stop),
      lsnStart: '0/2000028',
      lsnStop: '0/2000100',
      walStart: walName(i * 10),
      walStop: walName(i * 10 + 1),
      sizeBytes: 1_200_000_000,
      tier,
      manifest: {
        key: `manifests/${i}.json`,
        sha256: 'a'.repeat(64),
        signature: 'valid',
        resticSnapshotId: `${i}`.padStart(8, '0'),
        tables: 11,
        rows: 15_000,
      },
    };
  });
  const firstStop = Date.parse(backups[0]?.timeStop ?? iso(first));
  const gapFrom = last - 10 * DAY_MS;
  const gapTo = gapFrom + 5 * MINUTE_MS;
  const withGap = options.gap !== false && gapFrom > firstStop;
  const range = (from: number, to: number): CoverageRange => ({
    from: iso(from),
    to: iso(to),
    timeline: 1,
    baseBackup: backups[0]?.label ?? 'none',
    firstSegment: walName(0),
    lastSegment: walName(count - 1),
    segments: Math.round((to - from) / MINUTE_MS),
  });
  return {
    serverId: SERVER_ID,
    builtAt: iso(builtAt),
    source: 'bucket+server',
    backups,
    coverage: withGap
      ? [range(firstStop, gapFrom), range(gapTo + 20 * MINUTE_MS, last)]
      : [range(firstStop, last)],
    gaps: withGap
      ? [
          {
            from: iso(gapFrom),
            to: iso(gapTo + 20 * MINUTE_MS),
            timeline: 1,
            missingSegment: walName(1234),
            missingCount: 5,
            cause: 'segment missing from the bucket',
          },
        ]
      : [],
    segmentTimes: withGap
      ? segmentTimes.filter((t) => t < gapFrom || t >= gapTo)
      : segmentTimes.slice(-count),
    walSegments: count,
    walBytes: count * 16 * 1024 * 1024,
    firstRestorable: iso(firstStop),
    lastRestorable: iso(last),
    captureLagSeconds: lag,
    events: [
      { kind: 'drill', at: iso(last - 7 * DAY_MS), title: 'Quarterly drill', ok: true },
      { kind: 'drill', at: iso(last - 2 * DAY_MS), title: 'Drill', ok: false },
      { kind: 'erasure', at: iso(last - 3 * DAY_MS), title: 'Erasure of subject 42', ok: null },
    ],
  };
}

export function restorePlan(over: Partial<RestorePlan> = {}): RestorePlan {
  return {
    request: {
      serverId: SERVER_ID,
      target: { kind: 'time', time: '2026-11-26T13:00:05Z' },
      destination: { kind: 'scratch' },
    },
    baseBackup: {
      label: '20261101-000013F',
      timeStop: '2026-11-26T02:40:00.000Z',
      sizeBytes: 1_200_000_000,
    },
    pgbackrestType: 'time',
    targetTime: '2026-11-26T13:00:05.000Z',
    walSegmentsToReplay: 620,
    walBytesToReplay: 620 * 16 * 1024 * 1024,
    estimatedSeconds: 95,
    attachedFiles: {
      label: '20261101-000013F',
      resticSnapshotId: '0000000d1234',
      takenAt: '2026-11-01T00:00:13.000Z',
    },
    warnings: [],
    ...over,
  };
}

export function scratchEnv(over: Partial<ScratchEnvironment> = {}): ScratchEnvironment {
  return {
    id: SCRATCH_ID,
    sourceServerId: SERVER_ID,
    hostServerId: SERVER_ID,
    createdAt: NOW,
    expiresAt: '2026-11-27T14:23:00.000Z',
    target: { kind: 'time', time: '2026-11-26T13:00:05Z' },
    targetTime: '2026-11-26T13:00:05.000Z',
    baseBackup: '20261101-000013F',
    dataDirectory: '/var/lib/kumiko/scratch/5a0d7c1e/data',
    filesDirectory: '/var/lib/kumiko/scratch/5a0d7c1e/files',
    port: 55432,
    host: '127.0.0.1',
    sizeBytes: 1_300_000_000,
    state: 'running',
    checks: [
      { name: 'consistent', ok: true, detail: 'pg_amcheck: no corruption' },
      { name: 'promoted', ok: true, detail: 'pg_is_in_recovery() = false' },
      { name: 'stopped-at-target', ok: true, detail: 'last commit 13:00:04.8 ≤ target' },
      { name: 'files', ok: true, detail: '5 files restored' },
    ],
    ...over,
  };
}

// Practiced restores (issue 5): archived drill reports, the Drills page overview, one report.

export const DRILL_ID = 'drill-20261127T031500Z';

export function drillEntry(over: Partial<DrillReportEntry> = {}): DrillReportEntry {
  return {
    serverId: SERVER_ID,
    serverName: 'ERP',
    drillId: DRILL_ID,
    sequence: 3,
    startedAt: '2026-11-27T03:15:00.000Z',
    finishedAt: '2026-11-27T03:19:12.000Z',
    passed: true,
    rtoSeconds: 252,
    rpoSeconds: 41,
    signer: 'agent',
    countersigned: false,
    manifestSha256: 'c'.repeat(64),
    previousManifestSha256: 'b'.repeat(64),
    bundlePath: `/home/admin/.config/kumiko-recovery/reports/${SERVER_ID}/${DRILL_ID}`,
    archivedAt: '2026-11-27T03:19:20.000Z',
    ...over,
  };
}

export function drillOverview(over: Partial<DrillOverview> = {}): DrillOverview {
  return {
    serverId: SERVER_ID,
    reports: [
      drillEntry(),
      drillEntry({
        drillId: 'drill-20260828T031500Z',
        sequence: 2,
        startedAt: '2026-08-28T03:15:00.000Z',
        passed: false,
        rtoSeconds: null,
        rpoSeconds: 75,
      }),
      drillEntry({
        drillId: 'drill-20260529T031500Z',
        sequence: 1,
        startedAt: '2026-05-29T03:15:00.000Z',
        rtoSeconds: 301,
        rpoSeconds: 12,
      }),
    ],
    nextDrillAt: '2027-02-26T03:15:00.000Z',
    scheduleSource: 'server',
    intervalSeconds: 91 * 86_400,
    smokeChecks: [
      {
        name: 'Invoices exist',
        database: 'erp',
        sql: 'select count(*) from invoice',
        expect: 'atLeast',
        value: '1',
      },
    ],
    amcheckHeapAllIndexed: false,
    settingsError: null,
    ...over,
  };
}

export function reportDetail(over: Partial<ReportDetail> = {}): ReportDetail {
  return {
    entry: drillEntry(),
    drill: {
      drillId: DRILL_ID,
      server: { id: SERVER_ID, name: 'ERP' },
      startedAt: '2026-11-27T03:15:00.000Z',
      finishedAt: '2026-11-27T03:19:12.000Z',
      passed: true,
      rtoSeconds: 252,
      rpoSeconds: 41,
      newestRestorableAt: '2026-11-27T03:14:19.000Z',
      restored: {
        backupLabel: '20261127-030000F',
        targetTime: null,
        resticSnapshotId: 'abcdef12',
        databaseBytes: 1_200_000_000,
        attachedFilesBytes: 5_000_000,
      },
      environment: 'db1, port 55432',
      checks: [
        {
          id: 'cluster-starts',
          title: 'The cluster starts',
          passed: true,
          detail: 'accepted connections after 2 s',
          evidence: [],
        },
        {
          id: 'amcheck',
          title: 'No corruption (pg_amcheck)',
          passed: true,
          detail: '0 problems',
          evidence: [],
        },
      ],
      signer: 'agent',
      software: { app: null, agent: '0.1.0' },
    },
    signerPrincipal: `kumiko-agent@${SERVER_ID}`,
    evidence: [{ name: 'amcheck.txt', bytes: 120 }],
    ...over,
  };
}

// Restore over production (issue 4 §3): its plan and a job result.

export function productionPlan(over: Partial<ProductionRestorePlan> = {}): ProductionRestorePlan {
  const { request: _scratch, ...restore } = restorePlan({ attachedFiles: null });
  return {
    ...restore,
    request: { serverId: SERVER_ID, target: { kind: 'time', time: '2026-11-26T13:00:05.000Z' } },
    confirmName: 'erp',
    confirmSource: 'manifest',
    manifestLabel: '20261101-000013F',
    databases: [
      { name: 'erp', tables: 42, rows: 1_250_000 },
      { name: 'postgres', tables: 0, rows: 0 },
    ],
    dataDirectory: DATA_DIR,
    port: 5432,
    safetySnapshotSeconds: 14,
    downtimeSeconds: 99,
    estimatedSeconds: 113,
    warnings: ['WAL not yet archived when PostgreSQL stops is not replayed.'],
    ...over,
  };
}

export function productionResult(
  over: Partial<ProductionRestoreResult> = {},
): ProductionRestoreResult {
  return {
    serverId: SERVER_ID,
    target: { kind: 'time', time: '2026-11-26T13:00:05.000Z' },
    targetTime: '2026-11-26T13:00:05.000Z',
    baseBackup: '20261101-000013F',
    safetySnapshot: {
      label: '20261101-000013F_20261126-142300I',
      at: '2026-11-26T14:23:20.000Z',
      manifestKey: `kumiko/${SERVER_ID}/manifests/20261101-000013F_20261126-142300I.json`,
    },
    timeline: 2,
    dataDirectory: DATA_DIR,
    port: 5432,
    stoppedAt: '2026-11-26T14:23:25.000Z',
    startedAt: '2026-11-26T14:23:31.000Z',
    checks: [
      { name: 'consistent', ok: true, detail: 'in production' },
      { name: 'promoted', ok: true, detail: 'timeline 2' },
      { name: 'stopped-at-target', ok: true, detail: 'last commit ≤ target' },
      { name: 'system-identifier', ok: true, detail: 'unchanged' },
      { name: 'archiving', ok: true, detail: '00000002.history archived' },
    ],
    ...over,
  };
}
