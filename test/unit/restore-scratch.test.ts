import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentRestoreSpec } from '../../shared/agent/restore';
import {
  hostRepositoryConfig,
  prepareOtherHost,
  restoreHostLayout,
  type OtherHostInput,
} from '../../electron/services/restore/other-host';
import { resticRepositoryUrl } from '../../electron/services/agent-install/config-files';
import { specOf } from '../../electron/services/restore/restore-job';
import { scriptBody } from '../../electron/services/agent-install/remote-shell';
import { compareTables } from '../../shared/restore/manifest-compare';
import { pgbackrestRestoreArgs, pgTargetTime } from '../../shared/restore/restore-args';
import { estimateRestoreSeconds } from '../../electron/services/restore/restore-estimate';
import { restorePaths } from '../../agent/restore/restore-paths';
import { assertApartFromProduction } from '../../agent/drill/scratch-paths';
import { ScratchRepo } from '../../electron/services/restore/scratch-repo';
import {
  parseControlData,
  rewriteAutoConf,
  scratchHba,
  scratchSettings,
} from '../../shared/restore/scratch-settings';
import { openDatabase } from '../../electron/services/store/database';
import { parseRestoreTime } from '../../electron/cli/restore-commands';
import type { AgentConfig } from '../../shared/agent/config';
import type { ResolvedRecovery } from '../../shared/catalog';

const ID = '00243a6b-a82a-4efb-9a29-aa498f65044f';
const paths = restorePaths({ stateDir: '/var/lib/kumiko-agent' }, ID);

describe('scratch paths and safety', () => {
  it('puts everything under one folder per environment, apart from the drills', () => {
    expect(paths.root).toBe(`/var/lib/kumiko-agent/scratch/${ID}`);
    expect(paths.data).toBe(`${paths.root}/data`);
    expect(paths.socket).toBe(`${paths.root}/sock`);
  });

  it('refuses a scratch folder overlapping the production data directory', () => {
    const config = (dataDirectory: string) =>
      ({ stateDir: '/var/lib/kumiko-agent', pg: { dataDirectory } }) as unknown as AgentConfig;
    expect(() =>
      assertApartFromProduction(paths, config('/var/lib/postgresql/15/main')),
    ).not.toThrow();
    const inside = restorePaths({ stateDir: '/var/lib/postgresql/15/main' }, ID);
    expect(() => assertApartFromProduction(inside, config('/var/lib/postgresql/15/main'))).toThrow(
      /overlaps/,
    );
  });
});

describe('the agent restore spec', () => {
  const resolved = {
    pgbackrestType: 'time',
    backup: { label: '20261126-173746F', lsnStart: '0/5000028', sizeBytes: 1 },
    targetTime: '2026-11-26T17:40:00.000Z',
    timeline: 1,
    attachedFiles: { label: '20261126-173746F', resticSnapshotId: 'abc', takenAt: null },
    wal: { segments: 3 },
  } as unknown as ResolvedRecovery;

  it('carries the catalog resolution and what to check, and validates', () => {
    const spec = specOf(
      ID,
      {
        serverId: ID,
        target: { kind: 'time', time: '2026-11-26T17:40:00Z' },
        destination: { kind: 'scratch' },
      },
      resolved,
    );
    expect(AgentRestoreSpec.parse(spec)).toEqual({
      id: ID,
      restore: {
        type: 'time',
        backupLabel: '20261126-173746F',
        targetTime: '2026-11-26T17:40:00.000Z',
        timeline: 1,
      },
      check: { kind: 'time', time: '2026-11-26T17:40:00.000Z' },
      filesFrom: '20261126-173746F',
      walSegments: 3,
      lsnStart: '0/5000028',
      backupBytes: 1,
    });
  });

  it('refuses ids and labels a path or a command line could misread', () => {
    const good = specOf(
      ID,
      { serverId: ID, target: { kind: 'latest' }, destination: { kind: 'scratch' } },
      resolved,
    );
    for (const bad of [
      { ...good, id: '../../etc' },
      { ...good, restore: { ...good.restore, backupLabel: '--repo1-path=/x' } },
      { ...good, filesFrom: '20261126-173746F; rm -rf /' },
      { ...good, extra: 1 },
    ]) {
      expect(AgentRestoreSpec.safeParse(bad).success).toBe(false);
    }
  });
});

describe('pgbackrest restore arguments', () => {
  it('restores a moment with the chosen backup, own paths, no archiving', () => {
    const args = pgbackrestRestoreArgs(paths, {
      type: 'time',
      backupLabel: '20261126-173746F',
      targetTime: '2026-11-26T17:40:00.000Z',
      timeline: 1,
    });
    expect(args).toContain(`--lock-path=${paths.lock}`);
    expect(args).toContain(`--spool-path=${paths.spool}`);
    expect(args).toContain(`--pg1-path=${paths.data}`);
    expect(args).toContain('--set=20261126-173746F');
    expect(args).toContain('--archive-mode=off');
    expect(args).toContain('--target=2026-11-26 17:40:00+00');
    expect(args).toContain('--target-action=promote');
    expect(args).toContain('--target-timeline=1');
  });

  it('restores a recovery point immediately and latest by default', () => {
    const point = pgbackrestRestoreArgs(paths, {
      type: 'immediate',
      backupLabel: 'L',
      targetTime: null,
      timeline: 1,
    });
    expect(point).toContain('--type=immediate');
    expect(point.join(' ')).not.toContain('target-timeline');
    const latest = pgbackrestRestoreArgs(paths, {
      type: 'default',
      backupLabel: 'L',
      targetTime: null,
      timeline: 2,
    }).join(' ');
    expect(latest).not.toContain('--type');
    expect(latest).not.toContain('target-action');
    expect(latest).toContain('--target-timeline=2');
  });

  it('writes target times with an explicit UTC offset', () => {
    expect(pgTargetTime('2026-11-26T18:40:00+01:00')).toBe('2026-11-26 17:40:00+00');
    expect(pgTargetTime('2026-11-26T17:40:00.250Z')).toBe('2026-11-26 17:40:00.250000+00');
  });
});

describe('scratch cluster settings', () => {
  const control = parseControlData(
    'Database cluster state:               in production\nmax_connections setting:              200\nmax_locks_per_xact setting:           128\n',
  );

  it('never archives and keeps the primary’s hot-standby minimums', () => {
    const s = scratchSettings({
      port: 55400,
      socketDirectory: paths.socket,
      clusterName: 'kumiko-scratch-00243a6b',
      hbaFile: `${paths.root}/pg_hba.conf`,
      controlData: control,
    });
    expect(s.archive_mode).toBe('off');
    expect(s.archive_command).toBe('');
    expect(s.port).toBe('55400');
    expect(s.listen_addresses).toBe('127.0.0.1');
    expect(s.max_connections).toBe('200');
    expect(s.max_locks_per_transaction).toBe('128');
  });

  it('comments out restored lines it replaces and keeps pgBackRest’s recovery settings', () => {
    const restored = [
      '# Do not edit this file manually!',
      "archive_mode = 'on'",
      "archive_command = 'pgbackrest --stanza=main archive-push %p'",
      'restore_command = \'pgbackrest archive-get %f "%p"\'',
      "recovery_target_time = '2026-11-26 17:40:00+00'",
      '',
    ].join('\n');
    const out = rewriteAutoConf(
      restored,
      { archive_mode: 'off', archive_command: '', port: '55400' },
      'scratch',
    );
    expect(out).toContain("# (replaced for the scratch cluster) archive_mode = 'on'");
    expect(out).toContain("# (replaced for the scratch cluster) archive_command = 'pgbackrest");
    expect(out).toContain("restore_command = 'pgbackrest archive-get");
    expect(out).toContain("recovery_target_time = '2026-11-26 17:40:00+00'");
    const active = out.split('\n').filter((l) => /^\s*archive_(mode|command)/.test(l));
    expect(active).toEqual(["archive_mode = 'off'", "archive_command = ''"]);
    expect(rewriteAutoConf('', { x: "it's" }, 'h')).toContain("x = 'it''s'");
  });

  it('lets the OS user in by peer first', () => {
    expect(scratchHba('postgres', 'host all all 0.0.0.0/0 md5\n').split('\n')[1]).toBe(
      'local all postgres peer',
    );
    expect(scratchHba('postgres', null)).toContain('host all all 127.0.0.1/32 scram-sha-256');
  });
});

describe('verification helpers', () => {
  it('compares tables with the manifest', () => {
    const expected = [
      { schema: 'public', table: 'a', rowCount: 2, checksum: 'x'.repeat(32) },
      { schema: 'public', table: 'b', rowCount: 1, checksum: 'y'.repeat(32) },
      { schema: 'public', table: 'c', rowCount: 1, checksum: 'z'.repeat(32) },
    ];
    const computed = new Map([
      ['public.a', { rows: 2, checksum: 'x'.repeat(32) }],
      ['public.b', { rows: 3, checksum: 'y'.repeat(32) }],
      ['public.d', { rows: 0, checksum: 'q'.repeat(32) }],
    ]);
    // Each difference also carries its words for the drill report (drill-check-words.test.ts).
    expect(
      compareTables('db', expected, ['public.a', 'public.b', 'public.d'], computed),
    ).toMatchObject([
      { table: 'db:public.b', problem: '3 rows, manifest 1' },
      { table: 'db:public.c', problem: 'missing' },
      { table: 'db:public.d', problem: 'not in the manifest' },
    ]);
    expect(compareTables('db', expected.slice(0, 1), ['public.a'], computed)).toEqual([]);
  });

  it('estimates from backup size, WAL and segments', () => {
    const small = estimateRestoreSeconds({
      backupBytes: 1e9,
      walSegments: 10,
      walStoredBytes: 1e8,
      attachedFiles: false,
      manifestCheck: false,
    });
    const big = estimateRestoreSeconds({
      backupBytes: 1e9,
      walSegments: 1000,
      walStoredBytes: 1e9,
      attachedFiles: true,
      manifestCheck: true,
    });
    // 1 GB base backup and 10 segments: the fixed part, ~1.3 s download, ~1 s replay.
    expect(small).toBe(5);
    expect(big).toBeGreaterThan(small);
  });
});

describe('kumiko restore --time', () => {
  it('reads a wall time in the given zone', () => {
    expect(parseRestoreTime('2026-03-14 14:23:05', 'Europe/Berlin')).toBe(
      '2026-03-14T13:23:05.000Z',
    );
    expect(parseRestoreTime('2026-07-14 14:23:05', 'Europe/Berlin')).toBe(
      '2026-07-14T12:23:05.000Z',
    );
    expect(parseRestoreTime('2026-07-14T14:23:05+02:00', 'UTC')).toBe('2026-07-14T12:23:05.000Z');
  });

  it('refuses a skipped wall time and takes the first of a repeated one', () => {
    expect(() => parseRestoreTime('2026-03-29 02:30:00', 'Europe/Berlin')).toThrow(
      /does not exist/,
    );
    expect(parseRestoreTime('2026-10-25 02:30:00', 'Europe/Berlin')).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(() => parseRestoreTime('14:23', 'UTC')).toThrow(/must look like/);
    expect(() => parseRestoreTime('2026-03-14 14:23:05', 'Mars/Olympus')).toThrow(
      /Unknown time zone/,
    );
  });
});

describe('scratch repo', () => {
  it('hides environments being created and finds the ones due', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-scratch-repo-'));
    const db = openDatabase(dir);
    try {
      db.prepare(
        "INSERT INTO servers (id, name, host, port, user, auth_kind, status, created_at) VALUES ('s1', 'db1', 'h', 22, 'root', 'privateKey', 'new', '2026-01-01T00:00:00Z')",
      ).run();
      const repo = new ScratchRepo(db);
      const env = (id: string, expiresAt: string | null) => ({
        id,
        sourceServerId: 's1',
        hostServerId: 's1',
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt,
        target: { kind: 'latest' as const },
        targetTime: null,
        baseBackup: 'L',
        dataDirectory: '/x/data',
        filesDirectory: null,
        port: 55400,
        host: '127.0.0.1',
        sizeBytes: null,
        state: 'running' as const,
        checks: [],
      });
      const host = {
        root: '/x',
        agent: { node: 'node', bundle: '/b.cjs', config: '/c.json', stateDir: '/s' },
      };
      repo.save({ env: env('a', '2026-01-02T00:00:00.000Z'), state: 'running', host });
      repo.save({ env: env('b', null), state: 'running', host });
      repo.save({ env: env('c', null), state: 'creating', host });
      expect(
        repo
          .listed()
          .map((r) => r.env.id)
          .sort(),
      ).toEqual(['a', 'b']);
      expect(
        repo
          .due(new Date('2026-01-03T00:00:00Z'))
          .map((r) => r.env.id)
          .sort(),
      ).toEqual(['a', 'c']);
      expect(repo.due(new Date('2026-01-01T12:00:00Z')).map((r) => r.env.id)).toEqual(['c']);
      repo.setSize('a', 1234);
      expect(repo.get('a')?.env.sizeBytes).toBe(1234);
      expect(repo.portsOn('s1')).toEqual([55400, 55400, 55400]);
      repo.delete('c');
      expect(repo.get('c')).toBeNull();
      // A rebuild's restore that placed the cluster: kept with the record, for a resumed rebuild.
      const placed = {
        dataDirectory: '/var/lib/postgresql/15/main',
        port: 5432,
        socketDirectory: '/var/run/postgresql',
        service: 'pg_ctl' as const,
        files: [],
        resumed: false,
      };
      repo.save({ env: env('d', null), state: 'running', host, placed });
      expect(repo.get('d')?.placed).toEqual(placed);
      expect(repo.get('a')?.placed).toBeUndefined();
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('restoring onto another host', () => {
  const storage = {
    endpoint: 'https://s3.eu-central-1.example.com:8443',
    bucket: 'backups',
    region: 'eu-central-1',
    accessKeyId: 'AKIAEXAMPLE',
    secretAccessKey: 'secret',
    ownStorage: true,
  };

  it('reads the source repository with the restore agent’s own paths', () => {
    const conf = hostRepositoryConfig({
      sourceServerId: 'src',
      stanza: 'main',
      storage,
      cipherPass: 'pass',
      caFile: '/x/storage-ca.pem',
      stateDir: '/var/lib/kumiko-restore',
      cpuCount: 8,
    });
    expect(conf).toContain('repo1-path=/kumiko/src/pgbackrest');
    expect(conf).toContain('repo1-s3-endpoint=s3.eu-central-1.example.com');
    expect(conf).toContain('repo1-storage-port=8443');
    expect(conf).toContain('repo1-cipher-pass=pass');
    expect(conf).toContain('lock-path=/var/lib/kumiko-restore/lock');
    expect(conf).toContain('process-max=4');
    expect(conf).toContain('[main]\npg1-path=/var/lib/kumiko-restore/scratch');
    expect(resticRepositoryUrl(storage, 'src')).toBe(
      's3:https://s3.eu-central-1.example.com:8443/backups/kumiko/src/restic',
    );
  });

  /**
   * A destination host whose probe answers at once (Node 24, PostgreSQL 15 found) and whose
   * `realSteps` really run here, as root like on a host, under the private root `root`.
   */
  function hostAt(root: string, realSteps: string[]) {
    const sent: string[] = [];
    const bundle = path.join(root, 'agent.cjs');
    fs.writeFileSync(bundle, 'bundle');
    const shell = {
      run: async (step: string, script: string) => {
        if (!realSteps.includes(step)) {
          return {
            code: 0,
            stderr: '',
            stdout:
              step === 'check the destination host'
                ? 'pgbackrest=/usr/bin/pgbackrest\nrestic=/usr/bin/restic\nbin=/usr/lib/postgresql/15/bin\npostgres=110\ncpus=2\nmachine=x86_64\nnode=/usr/bin/node\nnodeVersion=v24.11.1\nfolders=ready\n'
                : '',
          };
        }
        sent.push(step);
        const ran = spawnSync('sh', ['-s'], { input: scriptBody(script), encoding: 'utf8' });
        if (ran.status !== 0) throw new Error(`${step} failed: ${ran.stderr}`);
        return { code: 0, stderr: '', stdout: ran.stdout };
      },
      upload: async () => undefined,
    };
    const prepare = () =>
      prepareOtherHost(
        {
          shell: shell as unknown as OtherHostInput['shell'],
          host: { name: 'new-db', detection: null } as unknown as OtherHostInput['host'],
          remoteRoot: root,
          sourceServerId: 'src',
          sourceName: 'db1',
          stanza: 'main',
          pgMajor: '15',
          verifyKey: 'ssh-ed25519 AAAA',
          storage: { ...storage, caCertificate: 'CA', readOnly: false },
          cipherPass: 'pass',
          resticPassword: 'restic',
          bundlePath: bundle,
          runtime: {} as OtherHostInput['runtime'],
        },
        ID,
      );
    return { sent, prepare };
  }

  it('writes the repository access in one script: every file or, after a failure, none', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-provision-'));
    const { sent, prepare } = hostAt(root, ['prepare repository access']);
    const prepared = await prepare();
    const dir = prepared.configDir;
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    try {
      await prepared.provision();
      expect(sent).toEqual(['prepare repository access']);
      const mode = (f: string) => (fs.statSync(path.join(dir, f)).mode & 0o777).toString(8);
      expect(fs.readdirSync(dir).sort()).toEqual([
        'config.json',
        'pgbackrest.conf',
        'restic.pass',
        'storage-ca.pem',
      ]);
      expect([
        mode('.'),
        mode('config.json'),
        mode('pgbackrest.conf'),
        mode('storage-ca.pem'),
      ]).toEqual(['711', '600', '600', '644']);
      expect(fs.statSync(path.join(dir, 'pgbackrest.conf')).uid).toBe(
        Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout),
      );
      expect(fs.readFileSync(path.join(dir, 'pgbackrest.conf'), 'utf8')).toContain(
        'repo1-cipher-pass=pass',
      );
      // A folder that is there already (a half-done earlier restore) stops the script before
      // any key is written into it.
      fs.rmSync(dir, { recursive: true });
      fs.mkdirSync(dir);
      await expect(prepared.provision()).rejects.toThrow(/prepare repository access failed/);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('stops when a folder root runs the agent from cannot be made root’s', async () => {
    // The agent's program folder, made by another user and immutable: chown fails. The script
    // must stop there, not go on to the next folder and report success.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-folders-'));
    const lib = path.join(root, 'opt/kumiko-restore');
    fs.mkdirSync(lib, { recursive: true });
    fs.chownSync(lib, 65534, 65534);
    const immutable = spawnSync('chattr', ['+i', lib]);
    try {
      expect(immutable.status, 'chattr +i works on this file system').toBe(0);
      // The host's own probe, run here for real: this machine has what a restore needs, so
      // the same script goes on to the folders.
      const { sent, prepare } = hostAt(root, ['check the destination host']);
      await expect(prepare()).rejects.toThrow(/check the destination host failed/);
      expect(sent).toEqual(['check the destination host']);
      expect(fs.statSync(lib).uid).toBe(65534);
    } finally {
      spawnSync('chattr', ['-i', lib]);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('keeps the restore agent beside an installed agent, under the layout root only', () => {
    expect(restoreHostLayout('/').bundlePath).toBe('/opt/kumiko-restore/kumiko-agent.cjs');
    expect(restoreHostLayout('/').stateDir).toBe('/var/lib/kumiko-restore');
    // A root whose own name holds "kumiko-agent" is left as it is.
    expect(restoreHostLayout('/tmp/kumiko-agent-test/').stateDir).toBe(
      '/tmp/kumiko-agent-test/var/lib/kumiko-restore',
    );
  });
});
