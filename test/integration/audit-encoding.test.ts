import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAuditTrail } from '../../agent/audit/audit-trail';
import { recordHistory } from '../../agent/audit/record-rollback';
import { startPostgres, stopAll, type PostgresCluster } from '../harness';
import { clusterOnlyAgentConfig } from '../harness/cluster-agent-config';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// The audit trail's versions travel as WAL messages holding text in the database's encoding
// (shared/audit/audit-stream-sql.ts). A database in LATIN1 (older installations have them)
// must drain its umlauts as they were written, not stop the drain on bytes read as UTF-8.

const DB = 'latin';
let cluster: PostgresCluster;
let load: WriteLoad;

beforeAll(async () => {
  cluster = await startPostgres({ confSettings: { wal_level: 'logical' } });
  await cluster.psql(
    `CREATE DATABASE ${DB} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`,
  );
  await cluster.psql(
    `CREATE TABLE customer (id int PRIMARY KEY, name text);
     INSERT INTO customer VALUES (1, 'Jürgen Müller'), (2, 'Zoë Ångström');`,
    DB,
  );
  // A writer beside, committing into the same database and trail.
  load = await startWriteLoad(cluster, { markerDb: DB, pgbenchDb: 'postgres', markerEveryMs: 50 });
  await installAuditTrail(clusterOnlyAgentConfig(cluster), DB, {}, false);
}, 120_000);

afterAll(async () => {
  await load?.stop();
  await cluster?.stop();
  await stopAll();
});

describe('audit trail in a LATIN1 database', () => {
  it('keeps the old row with its umlauts', async () => {
    expect(await cluster.psql('SHOW server_encoding', DB)).toBe('LATIN1');
    await cluster.psql("UPDATE customer SET name = 'Jürgen Meier' WHERE id = 1", DB);
    await cluster.psql('DELETE FROM customer WHERE id = 2', DB);
    const config = clusterOnlyAgentConfig(cluster);
    const one = await recordHistory(config, {
      db: DB,
      schema: 'public',
      table: 'customer',
      key: { id: '1' },
    });
    expect(one.versions.map((v) => [v.op, v.old?.name ?? null])).toEqual([
      ['U', '"Jürgen Müller"'],
    ]);
    const two = await recordHistory(config, {
      db: DB,
      schema: 'public',
      table: 'customer',
      key: { id: '2' },
    });
    expect(two.versions.map((v) => [v.op, v.old?.name ?? null])).toEqual([['D', '"Zoë Ångström"']]);
  });
});
