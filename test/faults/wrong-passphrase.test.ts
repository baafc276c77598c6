import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { stopPgBackRestProcesses } from '../harness/pgbackrest';
import { captureState, observeUntil, startFaultEnv, type FaultEnv } from './fault-env';

// Fault 11 (settings): the repository passphrase in the server's pgBackRest settings is wrong
// (a restored /etc from another machine, a hand edit). pgBackRest cannot decrypt the
// repository's info files, so it must refuse at once: not one object written with the wrong
// key, the dashboard critical with pgBackRest's reason and one alert, and once the right
// passphrase is back PostgreSQL's kept segments go up and nothing is lost. (A passphrase typed
// wrong from the recovery kit: wrong-passphrase-kit.test.ts.)

let f: FaultEnv;

beforeAll(async () => {
  f = await startFaultEnv();
}, 240_000);

afterAll(async () => {
  await f?.stop();
});

describe('fault 11: wrong repository passphrase in the settings', () => {
  it('refuses at once with the reason, writes nothing, and heals with the right passphrase', async () => {
    const configPath = f.env.pgbackrest.configPath;
    const good = fs.readFileSync(configPath, 'utf8');
    expect(good).toMatch(/^repo1-cipher-pass=/m);
    const first = f.env
      .keys(`${bucketLayout.pgbackrestPath(f.env.serverId).replace(/^\//, '')}/backup/`)
      .find((k) => k.endsWith('/backup.manifest'))
      ?.split('/')
      .at(-2);

    fs.writeFileSync(
      configPath,
      good.replace(/^repo1-cipher-pass=.*$/m, 'repo1-cipher-pass=not-the-passphrase'),
    );
    // The async worker read the old settings when it started; the next one reads these.
    await stopPgBackRestProcesses(configPath);
    const repo = bucketLayout.pgbackrestPath(f.env.serverId).replace(/^\//, '');
    const keysBefore = f.env.keys(repo);
    const since = Date.now();

    const loud = await observeUntil(
      f,
      (o) => captureState(o).level === 'critical' && f.alerts().includes('capture-failing:open'),
      {
        since,
        timeoutMs: 90_000,
        between: async () => void (await f.env.pg.psql('SELECT pg_switch_wal()')),
      },
    );
    const reasons = captureState(loud.observation)
      .tiles.map((t) => `${t.id}: ${t.reason}`)
      .join('\n');
    // pgBackRest's own words reach the tile: the repository cannot be decrypted.
    expect(reasons).toMatch(/decrypt|cipher|crypto/i);
    console.info(
      `[fault 11] critical and alerted ${Math.round(loud.afterMs / 1000)} s after the passphrase changed:\n${reasons}`,
    );

    // A recovery point is refused too, with the reason.
    const snapshot = await f.env.agent(['snapshot']);
    expect(snapshot.code).not.toBe(0);
    expect(snapshot.stderr).toMatch(/decrypt|cipher|crypto/i);
    // Nothing written with the wrong key: the repository holds what it held.
    expect(f.env.keys(repo)).toEqual(keysBefore);

    const healedAt = Date.now();
    fs.writeFileSync(configPath, good);
    const healed = await observeUntil(f, (o) => captureState(o).level === 'ok', {
      since: healedAt,
      timeoutMs: 180_000,
      between: async () => void (await f.env.pg.psql('SELECT pg_switch_wal()')),
    });
    console.info(
      `[fault 11] capture ok ${Math.round(healed.afterMs / 1000)} s after the right passphrase was back`,
    );
    // The refused recovery point is taken again (the next night, or "take one now").
    const again = await f.env.agent(['snapshot']);
    expect(again.code, again.stderr).toBe(0);
    await observeUntil(f, () => f.alerts().includes('recovery-point-failed:resolved'), {
      since: Date.now(),
      timeoutMs: 60_000,
    });
    const lost = await f.assertNothingLost({ set: first });
    expect(lost.restoredMarkers).toBe(lost.productionMarkers);
    // One alert and one recovery notice for each thing that failed: capture and the snapshot.
    const alerts = f.alerts();
    console.info(`[fault 11] alerts: ${alerts.join(', ')}`);
    expect([...alerts].sort()).toEqual([
      'capture-failing:open',
      'capture-failing:resolved',
      'recovery-point-failed:open',
      'recovery-point-failed:resolved',
    ]);
  }, 600_000);
});
