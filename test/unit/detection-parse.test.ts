import { describe, expect, it } from 'vitest';
import { parseDetection } from '../../electron/services/servers/parse-detection';

const hex = (name: string) => Buffer.from(name, 'utf8').toString('hex');

const SAMPLE = `
@@os
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
ID=debian

@@kernel
6.1.0-18-amd64
@@arch
x86_64
@@cpus
2
@@sudo
root
@@node
v20.20.2
@@datadirs
/var/lib/postgresql/15/main
@@clusters
15\t/var/lib/postgresql/15/main\t5432\t1\tyes
db\t${hex('chinook')}\t8201000
db\t${hex('postgres')}\t7500000
db\t${hex('große db')}\t90000000
dbok
14\t/srv/pg14\t5433\t0\tno
@@disks
/dev/vda 270000000000 20000000000 250000000000 8% /
/dev/vda 270000000000 20000000000 250000000000 8% /
/dev/vdb 100 40 60 40% /srv
@@end
`;

describe('parseDetection', () => {
  it('reads OS, sudo, node, clusters with checksums, and one disk row per mount', () => {
    const d = parseDetection(SAMPLE, new Date('2026-11-26T10:00:00Z'));
    expect(d.os).toEqual({
      id: 'debian',
      name: 'Debian GNU/Linux',
      version: '12',
      pretty: 'Debian GNU/Linux 12 (bookworm)',
    });
    expect(d.kernel).toBe('6.1.0-18-amd64');
    expect(d.cpuCount).toBe(2);
    expect(d.sudo).toBe('root');
    expect(d.nodeVersion).toBe('v20.20.2');
    expect(d.clusters).toEqual([
      {
        version: '15',
        dataDirectory: '/var/lib/postgresql/15/main',
        port: 5432,
        dataChecksums: true,
        running: true,
        // Largest first.
        databases: [
          { name: 'große db', bytes: 90000000 },
          { name: 'chinook', bytes: 8201000 },
          { name: 'postgres', bytes: 7500000 },
        ],
      },
      {
        version: '14',
        dataDirectory: '/srv/pg14',
        port: 5433,
        dataChecksums: false,
        running: false,
        databases: null,
      },
    ]);
    expect(d.disks.map((x) => x.mount)).toEqual(['/', '/srv']);
    expect(d.disks[0]?.freeBytes).toBe(250000000000);
  });

  it('reports unknowns rather than guessing', () => {
    const d = parseDetection('@@sudo\nsomething odd\n@@clusters\n15\t/x\t\tunknown\tno\n');
    expect(d.sudo).toBe('unavailable');
    expect(d.nodeVersion).toBeNull();
    expect(d.clusters[0]?.dataChecksums).toBeNull();
    expect(d.clusters[0]?.port).toBe(5432);
  });

  it('keeps a cluster whose list did not finish unknown, and drops malformed or hostile names', () => {
    const lines = [
      '@@clusters',
      '15\t/a\t5432\t1\tyes',
      `db\t${hex('shop')}\t100`,
      // No dbok: psql failed half-way, so the list is not known to be complete.
      '16\t/b\t5433\t1\tyes',
      `db\t${hex('ok')}\t5`,
      `db\t${hex('evil\nname')}\t5`,
      `db\t${hex('x')}\tlots`,
      'db\tzz\t5',
      `db\t${hex('extra')}\t5\tfield`,
      'dbok',
      // Database lines after a skipped folder belong to no cluster.
      'skipped\treason\t/c',
      `db\t${hex('stray')}\t5`,
      'dbok',
    ].join('\n');
    const d = parseDetection(lines);
    expect(d.clusters.map((c) => [c.dataDirectory, c.databases])).toEqual([
      ['/a', null],
      ['/b', [{ name: 'ok', bytes: 5 }]],
    ]);
  });
});
