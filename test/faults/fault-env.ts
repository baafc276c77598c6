import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_THRESHOLDS, evaluateHealth, worst } from '../../shared/agent/health';
import { Heartbeat } from '../../shared/agent/heartbeat';
import type { HealthTile } from '../../shared/contract/agent';
import { buildAgentBundle, startAgentEnv, type AgentEnv } from '../harness/agent-env';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy';
import { makeOwnedDir } from '../harness/dirs';
import { runPgBackRest } from '../harness/pgbackrest';
import { startPostgres } from '../harness/postgres';
import { pidsWithArgument } from '../harness/proc-table';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/webhook-receiver';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// The starting point of every fault (issue 20): a protected server, as the installer leaves it
// (pgBackRest archiving asynchronously to the TLS S3 server, a first recovery point taken),
// with the fault proxy between it and the bucket, alerts going to a webhook, and a writer
// committing a marker row every 100 ms plus pgbench the whole time.

/** Options for {@link startFaultEnv}. */
export interface FaultEnvOptions {
  /** Take the first recovery point before the fault (default true). */
  firstRecoveryPoint?: boolean;
  /** Extra [global] pgBackRest options. */
  pgbackrestGlobal?: Record<string, string | number | boolean>;
  /** Attached files backed up with restic (default false: most faults are about the WAL). */
  attachedFiles?: boolean;
}

/** One heartbeat as the dashboard would see it. */
export interface Observation {
  heartbeat: Heartbeat;
  tiles: HealthTile[];
  /** Exit code of `kumiko-agent heartbeat` (1 when it found problems). */
  code: number | null;
}

/** A protected server under write load, with the fault proxy in front of its bucket. */
export interface FaultEnv {
  readonly env: AgentEnv;
  readonly proxy: FaultProxy;
  readonly hooks: WebhookReceiver;
  readonly load: WriteLoad;
  /** Runs the agent's heartbeat now (alerts included) and evaluates it into tiles. */
  observe(): Promise<Observation>;
  /** Alert events posted so far: `kind:state` in order. */
  alerts(): string[];
  /**
   * What was lost: takes the last second before now, waits until the WAL holding it is in the
   * bucket, restores the newest backup to that moment with pgBackRest into a throwaway folder
   * and compares the marker rows. Throws unless every marker committed by then is there.
   */
  assertNothingLost(options?: { set?: string }): Promise<LossCheck>;
  stop(): Promise<void>;
}

/** What {@link FaultEnv.assertNothingLost} compared. */
export interface LossCheck {
  target: string;
  productionMarkers: number;
  restoredMarkers: number;
}

/** Starts everything; see {@link FaultEnv}. */
export async function startFaultEnv(options: FaultEnvOptions = {}): Promise<FaultEnv> {
  await buildAgentBundle();
  const hooks = await startWebhookReceiver();
  let proxy: FaultProxy | undefined;
  const env = await startAgentEnv({
    attachedFiles: options.attachedFiles ?? false,
    pgbackrestGlobal: options.pgbackrestGlobal,
    s3Front: async (s3) => {
      proxy = await startFaultProxy(s3);
      return proxy.asS3();
    },
    config: (c) => ({
      ...c,
      alerts: { ...c.alerts, webhooks: [{ url: `${hooks.url}/alerts`, format: 'json' }] },
    }),
  });
  // The postgres OS user must reach the restore and drill folders inside the env's folder.
  fs.chmodSync(env.dir, 0o711);
  const front = proxy as FaultProxy;
  if (options.firstRecoveryPoint !== false) {
    const first = await env.agent(['snapshot']);
    if (first.code !== 0) throw new Error(`first recovery point: ${first.stderr}`);
  }
  const load = await startWriteLoad(env.pg, { markerDb: 'postgres', pgbenchDb: 'postgres' });
  let restores = 0;

  async function observe(): Promise<Observation> {
    const run = await env.agent(['heartbeat'], 120_000);
    const heartbeat = Heartbeat.parse(JSON.parse(run.stdout));
    return {
      heartbeat,
      tiles: evaluateHealth(heartbeat, new Date(), DEFAULT_THRESHOLDS),
      code: run.code,
    };
  }

  async function assertNothingLost(options: { set?: string } = {}): Promise<LossCheck> {
    const [moment] = await env.pg.query<{ target: string }>(
      `SELECT to_char((clock_timestamp() - interval '1 second') AT TIME ZONE 'UTC',
                      'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS target`,
    );
    const target = moment?.target as string;
    // A commit after the moment, in the segment switched out next: recovery stops at the first
    // commit past its target, and a writer stalled by a loaded machine may not have made one yet.
    await env.pg.query('SELECT txid_current()');
    // The segment holding the moment goes to the bucket now, not at archive_timeout.
    const [switched] = await env.pg.query<{ wal: string }>(
      'SELECT pg_walfile_name(pg_switch_wal()) AS wal',
    );
    const wal = switched?.wal as string;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const [archiver] = await env.pg.query<{ last: string | null }>(
        'SELECT last_archived_wal AS last FROM pg_stat_archiver',
      );
      if (archiver?.last && archiver.last.slice(8) >= wal.slice(8)) break;
      if (Date.now() > deadline) throw new Error(`WAL ${wal} not archived within 120 s`);
      await new Promise((r) => setTimeout(r, 500));
    }

    restores += 1;
    const base = path.join(env.dir, `restore-${restores}`);
    const dataDir = makeOwnedDir(path.join(base, 'data'), 'postgres', 0o700);
    const restore = await runPgBackRest(
      env.pgbackrest,
      [
        `--stanza=${env.stanza}`,
        `--pg1-path=${dataDir}`,
        '--type=time',
        `--target=${target}`,
        '--target-action=promote',
        // An older backup makes the replay cross the fault's whole window.
        ...(options.set ? [`--set=${options.set}`] : []),
        // The copy must never push its own WAL into production's archive.
        '--archive-mode=off',
        'restore',
      ],
      { timeoutMs: 300_000 },
    );
    if (restore.code !== 0) throw new Error(`pgbackrest restore: ${restore.stderr}`);
    const copy = await startPostgres({ baseDir: base, settings: { archive_mode: 'off' } });
    try {
      const deadlineUp = Date.now() + 120_000;
      while ((await copy.psql('SELECT pg_is_in_recovery()')) === 't') {
        if (Date.now() > deadlineUp) throw new Error('the restored copy did not finish recovery');
        await new Promise((r) => setTimeout(r, 250));
      }
      // A marker's `at` is taken just before its commit; a second's margin keeps a row whose
      // commit fell just after the target out of the comparison.
      const sql = `SELECT count(*)::int AS n, coalesce(md5(string_agg(id::text, ',' ORDER BY id)), '') AS ids
                   FROM kumiko_marker WHERE at <= '${target}'::timestamptz - interval '1 second'`;
      const [production] = await env.pg.query<{ n: number; ids: string }>(sql);
      const [restored] = await copy.query<{ n: number; ids: string }>(sql);
      const [reach] = await copy.query<{ behind: number }>(
        `SELECT extract(epoch FROM '${target}'::timestamptz - max(at))::float AS behind FROM kumiko_marker`,
      );
      if (!production || !restored || production.n === 0)
        throw new Error('no marker rows to compare');
      if (restored.n !== production.n || restored.ids !== production.ids) {
        throw new Error(
          `restore to ${target} holds ${restored.n} of ${production.n} marker rows committed by then`,
        );
      }
      // The restore reached the moment itself, not an earlier consistent point.
      if ((reach?.behind ?? Infinity) > 2)
        throw new Error(`the restore stopped ${reach?.behind} s before ${target}`);
      return { target, productionMarkers: production.n, restoredMarkers: restored.n };
    } finally {
      await copy.stop();
      fs.rmSync(base, { recursive: true, force: true });
    }
  }

  async function stop(): Promise<void> {
    await load.stop().catch(() => undefined);
    const scratchRoot = env.config.drill.scratchRoot;
    for (const pid of pidsWithArgument(scratchRoot)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    front.set({ kind: 'pass' });
    await env.stop();
    await front.stop();
    await hooks.stop();
  }

  return {
    env,
    proxy: front,
    hooks,
    load,
    observe,
    alerts: () =>
      hooks
        .to('/alerts')
        .map((r) => r.json as { kind: string; state: string })
        .map((e) => `${e.kind}:${e.state}`),
    assertNothingLost,
    stop,
  };
}

/** The tiles that say whether changes reach the bucket. */
const CAPTURE_TILES: ReadonlyArray<HealthTile['id']> = [
  'captureLag',
  'archiveFailures',
  'repository',
];

/**
 * The dashboard's capture state: the worst of the capture tiles, with the first non-ok one.
 * (The agent tile is left out: the suite runs the heartbeat itself, no scheduler daemon.)
 */
export function captureState(o: Observation): { level: HealthTile['level']; tiles: HealthTile[] } {
  const tiles = o.tiles.filter((t) => CAPTURE_TILES.includes(t.id));
  return { level: worst(tiles.map((t) => t.level)), tiles: tiles.filter((t) => t.level !== 'ok') };
}

/** The tile with this id (throws when the heartbeat has none). */
export function tile(observation: Observation, id: HealthTile['id']): HealthTile {
  const found = observation.tiles.find((t) => t.id === id);
  if (!found) throw new Error(`no ${id} tile`);
  return found;
}

/**
 * Polls the heartbeat until `until` holds or `timeoutMs` passes; returns the observation that
 * satisfied it and how long after `since` it came, or throws with the last one seen.
 */
export async function observeUntil(
  f: FaultEnv,
  until: (o: Observation) => boolean,
  options: { since: number; timeoutMs: number; everyMs?: number; between?: () => Promise<void> },
): Promise<{ observation: Observation; afterMs: number }> {
  let last: Observation | undefined;
  for (;;) {
    await options.between?.();
    last = await f.observe();
    if (until(last)) return { observation: last, afterMs: Date.now() - options.since };
    if (Date.now() - options.since > options.timeoutMs) {
      throw new Error(
        `not seen within ${options.timeoutMs / 1000} s; last tiles: ${JSON.stringify(last.tiles.filter((t) => t.level !== 'ok'))}`,
      );
    }
    await new Promise((r) => setTimeout(r, options.everyMs ?? 5_000));
  }
}
