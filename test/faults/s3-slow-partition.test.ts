import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureState,
  observeUntil,
  startFaultEnv,
  tile,
  type FaultEnv,
  type Observation,
} from './fault-env';

// Fault 4: the bucket gets slow (every request 2 s late), then the network to it is cut: new
// connections are never answered and open ones freeze, so clients only notice through their
// own timeouts. Slow is not an outage: capture keeps up. The partition is one: critical within
// 60 s with one alert, the capture lag shown grows with the outage (not reset, not hidden), and
// once the network is back nothing is lost.
//
// The partition is held three minutes, as the issue says (see s3-errors.test.ts for what that
// length shows).
const SLOW_MS = 60_000;
const PARTITION_MS = 180_000;
const ALERT_WITHIN_MS = 60_000;

let f: FaultEnv;

beforeAll(async () => {
  f = await startFaultEnv();
}, 240_000);

afterAll(async () => {
  await f?.stop();
});

const archived = async (): Promise<number> =>
  Number(await f.env.pg.psql('SELECT archived_count FROM pg_stat_archiver'));
const switchWal = async (): Promise<void> => void (await f.env.pg.psql('SELECT pg_switch_wal()'));

describe('fault 4: S3 slow, then a network partition', () => {
  it('keeps up while slow, is critical within 60 s of the partition with an honest lag, and loses nothing', async () => {
    expect(captureState(await f.observe()).level).toBe('ok');

    // Slow: 2 s per request. Capture keeps going and the dashboard stays calm.
    f.proxy.set({ kind: 'delay', ms: 2_000 });
    const slowFrom = await archived();
    const slowSince = Date.now();
    const slowLevels = new Set<string>();
    let switches = 0;
    while (Date.now() - slowSince < SLOW_MS) {
      await switchWal();
      switches += 1;
      slowLevels.add(captureState(await f.observe()).level);
      await new Promise((r) => setTimeout(r, 5_000));
    }
    // Keeping up: at most the newest two segments still on their way.
    const slowArchived = (await archived()) - slowFrom;
    expect(switches).toBeGreaterThan(2);
    expect(slowArchived, 'segments archived while S3 was slow').toBeGreaterThanOrEqual(
      switches - 2,
    );
    expect([...slowLevels]).not.toContain('critical');
    console.info(
      `[fault 4] slow S3 (2 s per request) for ${SLOW_MS / 1000} s: ${slowArchived} segments archived of ${switches} switched, tiles ${[...slowLevels].join('/')}`,
    );

    // Partition.
    const since = Date.now();
    f.proxy.set({ kind: 'partition' });
    const loud = await observeUntil(
      f,
      (o) => captureState(o).level === 'critical' && f.alerts().includes('capture-failing:open'),
      { since, timeoutMs: ALERT_WITHIN_MS, between: switchWal },
    );
    const critical = captureState(loud.observation).tiles;
    console.info(
      `[fault 4] partition: critical (${critical.map((t) => `${t.id}: ${t.reason}`).join('; ')}) and alerted ${Math.round(loud.afterMs / 1000)} s after it began`,
    );

    // The lag shown grows with the outage.
    const seen: Observation[] = [loud.observation];
    while (Date.now() - since < PARTITION_MS) {
      await switchWal();
      await new Promise((r) => setTimeout(r, 10_000));
      seen.push(await f.observe());
    }
    const lags = seen.map((o) => o.heartbeat.archiver.secondsSinceLastArchive ?? -1);
    for (let i = 1; i < lags.length; i++)
      expect(lags[i] as number).toBeGreaterThanOrEqual(lags[i - 1] as number);
    // Nothing archived since the cut: the lag shown is about as long as the cut had lasted when
    // the heartbeat began. (It reads PostgreSQL first; `at` comes after pgBackRest's info, which
    // takes up to ~20 s to give up on the cut network; segments in flight may land in the
    // first seconds of the cut.)
    const last = seen.at(-1) as Observation;
    const cutSoFar = (Date.parse(last.heartbeat.at) - since) / 1000;
    expect(lags.at(-1) as number).toBeGreaterThanOrEqual(Math.floor(cutSoFar) - 35);
    // The tile shows that lag as it is (warning from 90 s, critical from 300 s of lag; during
    // the cut the repository tile carries the critical).
    const lag = lags.at(-1) as number;
    expect(tile(last, 'captureLag').value).toBe(
      lag < 120 ? `${lag} s` : `${Math.round(lag / 60)} min`,
    );
    console.info(
      `[fault 4] capture lag shown during the partition: ${lags.join(', ')} s; tile ${tile(last, 'captureLag').level} ${tile(last, 'captureLag').value}`,
    );

    const healedAt = Date.now();
    f.proxy.set({ kind: 'pass' });
    const before = await archived();
    const healed = await observeUntil(
      f,
      (o) => captureState(o).level === 'ok' && o.heartbeat.archiver.archivedCount > before,
      { since: healedAt, timeoutMs: 240_000, between: switchWal },
    );
    console.info(
      `[fault 4] capture ok ${Math.round(healed.afterMs / 1000)} s after the network was back`,
    );
    const lost = await f.assertNothingLost();
    expect(lost.restoredMarkers).toBe(lost.productionMarkers);
    expect(f.alerts()).toEqual(['capture-failing:open', 'capture-failing:resolved']);
  }, 900_000);
});
