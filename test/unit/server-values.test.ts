import crypto from 'node:crypto';
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkedCluster } from '../../electron/services/agent-install/preflight';
import { prepareOtherHost, type OtherHostInput } from '../../electron/services/restore/other-host';
import {
  HEREDOC_MARKER,
  type RemoteShell,
} from '../../electron/services/agent-install/remote-shell';
import { parseDetection } from '../../electron/services/servers/parse-detection';
import {
  isOsUserName,
  isPid,
  isSafeAbsolutePath,
  packageBinDirectories,
  pgMajorOrNull,
  portOrNull,
  SERVER_VALUE_SHELL,
} from '../../shared/server-values';

// Issue 15: values read on a server never choose what root runs (DESIGN.md §6).

/** Exit status of one SERVER_VALUE_SHELL function with `args`, run by the local sh. */
function shellCheck(fn: string, ...args: string[]): { ok: boolean; out: string } {
  try {
    const out = execFileSync('sh', ['-c', `${SERVER_VALUE_SHELL}\n${fn} "$@"`, 'sh', ...args], {
      encoding: 'utf8',
    });
    return { ok: true, out };
  } catch {
    return { ok: false, out: '' };
  }
}

const HOSTILE_VERSIONS = [
  '../../../../tmp/x',
  '15/../../../../tmp/x',
  '15 ',
  ' 15',
  '15\n',
  '1234',
  '9.6',
  '',
  '$(id)',
  '15;id',
  '*',
  '-1',
];

describe('PostgreSQL major versions and package folders', () => {
  it('accepts 1 to 3 digits only, in TypeScript and in sh alike', () => {
    for (const v of ['9', '15', '17', '100']) {
      expect(pgMajorOrNull(v)).toBe(v);
      expect(shellCheck('pg_major_ok', v).ok).toBe(true);
    }
    // PG_VERSION ends with a newline: TypeScript trims it, the scripts read the first line.
    expect(pgMajorOrNull('15\n')).toBe('15');
    for (const v of HOSTILE_VERSIONS.filter((x) => x.trim() !== '15')) {
      expect(pgMajorOrNull(v), v).toBeNull();
      expect(shellCheck('pg_major_ok', v).ok, v).toBe(false);
    }
    for (const v of ['15 ', ' 15', '15\n']) expect(shellCheck('pg_major_ok', v).ok, v).toBe(false);
    expect(pgMajorOrNull(null)).toBeNull();
  });

  it('names the Debian and PGDG folders only, and refuses to build one from anything else', () => {
    expect(packageBinDirectories('15')).toEqual([
      '/usr/lib/postgresql/15/bin',
      '/usr/pgsql-15/bin',
    ]);
    for (const v of HOSTILE_VERSIONS) expect(() => packageBinDirectories(v), v).toThrow();
  });

  it('pg_bin_dir finds this machine’s packaged PostgreSQL 15 and nothing for a hostile version', () => {
    expect(shellCheck('pg_bin_dir', '15', 'pg_controldata')).toEqual({
      ok: true,
      out: '/usr/lib/postgresql/15/bin\n',
    });
    expect(shellCheck('pg_bin_dir', '15', 'no-such-tool').ok).toBe(false);
    // /usr/lib/postgresql/../../../../usr/lib/postgresql/15/bin/pg_controldata exists: the
    // climb is refused before any folder is looked at.
    expect(shellCheck('pg_bin_dir', '../../../../usr/lib/postgresql/15', 'pg_controldata').ok).toBe(
      false,
    );
    for (const v of HOSTILE_VERSIONS) expect(shellCheck('pg_bin_dir', v, 'sh').ok, v).toBe(false);
  });
});

describe('pids, ports, paths and user names read on a server', () => {
  it('pids are digits, not 0, at most 10 of them', () => {
    for (const p of ['1', '4242', '4194304']) {
      expect(isPid(p)).toBe(true);
      expect(shellCheck('pid_ok', p).ok).toBe(true);
    }
    for (const p of ['', '0', '-1', '01', '12 ', '1\n2', 'self', '$$', '12345678901']) {
      expect(isPid(p), p).toBe(false);
      expect(shellCheck('pid_ok', p).ok, p).toBe(false);
    }
  });

  it('ports are digits from 1 to 65535', () => {
    expect(portOrNull('5432')).toBe(5432);
    expect(shellCheck('port_ok', '5432').ok).toBe(true);
    for (const p of ['', '0', '65536', '-1', '54 32', '5432;id', '123456', undefined]) {
      expect(portOrNull(p), String(p)).toBeNull();
    }
    for (const p of ['', '5432;id', '123456', ' 1'])
      expect(shellCheck('port_ok', p).ok, p).toBe(false);
  });

  it('paths are absolute, without control characters or . and .. segments', () => {
    for (const p of ['/', '/var/lib/postgresql/15/main', '/srv/pg data/15', '/a/..b/c.']) {
      expect(isSafeAbsolutePath(p), p).toBe(true);
      expect(shellCheck('abs_path_ok', p).ok, p).toBe(true);
    }
    for (const p of ['', 'var/lib', './x', '/a/../b', '/a/./b', '/a/..', '/a\n/b', '/a\tb']) {
      expect(isSafeAbsolutePath(p), JSON.stringify(p)).toBe(false);
      expect(shellCheck('abs_path_ok', p).ok, JSON.stringify(p)).toBe(false);
    }
    for (const p of ['/a\rb', '/a\u0000b', '/a\u001bb']) {
      expect(isSafeAbsolutePath(p), JSON.stringify(p)).toBe(false);
    }
  });

  it('user names are what useradd allows', () => {
    for (const u of ['postgres', 'pg_15', 'enterprisedb', 'svc.pg-1'])
      expect(isOsUserName(u)).toBe(true);
    for (const u of ['', '-u', 'root;id', 'a b', 'UNKNOWN\n', '1postgres', 'x'.repeat(40)]) {
      expect(isOsUserName(u), u).toBe(false);
    }
  });
});

describe('install preflight facts (checkedCluster)', () => {
  const good = new Map([
    ['pg_version', '15'],
    ['bin', '/usr/lib/postgresql/15/bin'],
    ['running', 'yes'],
    ['port', '5433'],
    ['socket', '/var/run/postgresql'],
    ['owner', 'postgres'],
  ]);
  const facts = (changes: Record<string, string | null>) => {
    const f = new Map(good);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) f.delete(k);
      else f.set(k, v);
    }
    return f;
  };

  it('takes a packaged cluster as it is, Debian or PGDG', () => {
    expect(checkedCluster('/var/lib/postgresql/15/main', good)).toEqual({
      version: '15',
      dataDirectory: '/var/lib/postgresql/15/main',
      port: 5433,
      socketDirectory: '/var/run/postgresql',
      binDirectory: '/usr/lib/postgresql/15/bin',
      osUser: 'postgres',
      running: true,
      dataChecksums: null,
    });
    expect(
      checkedCluster(
        '/var/lib/pgsql/16/data',
        facts({ pg_version: '16', bin: '/usr/pgsql-16/bin' }),
      ).binDirectory,
    ).toBe('/usr/pgsql-16/bin');
  });

  it('refuses binaries from anywhere but the package folder of the version', () => {
    for (const bin of ['/tmp/evil', '/usr/lib/postgresql/14/bin', '', '/usr/local/pgsql/bin']) {
      expect(() => checkedCluster('/d', facts({ bin })), bin).toThrow(
        /not in \/usr\/lib\/postgresql\/15\/bin or \/usr\/pgsql-15\/bin/,
      );
    }
    expect(() => checkedCluster('/d', facts({ bin: null }))).toThrow(/NO_POSTGRES|not in/);
  });

  it('refuses a hostile PG_VERSION, socket, owner or data directory with NO_POSTGRES', () => {
    const cases: [string, Record<string, string | null>][] = [
      ['/d', { pg_version: 'invalid' }],
      ['/d', { pg_version: '../../../../tmp/x' }],
      ['/d', { socket: 'relative/socket' }],
      ['/d', { socket: '/a/../b' }],
      ['/d', { owner: '-x' }],
      ['/d', { running: 'no' }],
      ['/d', { pg_version: null }],
      ['/d/../etc', {}],
      ['d', {}],
    ];
    for (const [dir, change] of cases) {
      expect(() => checkedCluster(dir, facts(change)), JSON.stringify([dir, change])).toThrow(
        expect.objectContaining({ code: 'NO_POSTGRES' }),
      );
    }
    expect(() => checkedCluster('/d', facts({ pg_version: '../x' }))).toThrow(/PG_VERSION/);
  });

  it('falls back to the defaults where postmaster.pid says nothing usable', () => {
    const c = checkedCluster('/d', facts({ port: 'x', socket: '', owner: '' }));
    expect(c).toMatchObject({
      port: 5432,
      socketDirectory: '/var/run/postgresql',
      osUser: 'postgres',
    });
  });
});

describe('parseDetection on hostile script output', () => {
  it('lists skipped folders with their reason and re-checks every cluster line', () => {
    const d = parseDetection(
      [
        '@@clusters',
        'skipped\tPG_VERSION holds no PostgreSQL major version number\t/home/eve/data',
        '15\t/var/lib/postgresql/15/main\t5432\t1\tyes',
        '../../../../tmp/x\t/home/mallory/data\t5432\tunknown\tno',
        '15\trelative/dir\t5432\tunknown\tno',
        '15\t/srv/a/../b\t5432\tunknown\tno',
        '16\t/srv/pg16\t5432;id\tunknown\tno',
      ].join('\n'),
    );
    expect(d.clusters).toEqual([
      {
        version: '15',
        dataDirectory: '/var/lib/postgresql/15/main',
        port: 5432,
        dataChecksums: true,
        running: true,
        databases: null,
      },
      {
        version: '16',
        dataDirectory: '/srv/pg16',
        port: 5432,
        dataChecksums: null,
        running: false,
        databases: null,
      },
    ]);
    expect(d.skippedClusters).toEqual([
      {
        dataDirectory: '/home/eve/data',
        reason: 'PG_VERSION holds no PostgreSQL major version number',
      },
      {
        dataDirectory: '/home/mallory/data',
        reason: 'PG_VERSION holds no PostgreSQL major version number',
      },
      { dataDirectory: 'relative/dir', reason: 'the folder name is not a plain absolute path' },
      { dataDirectory: '/srv/a/../b', reason: 'the folder name is not a plain absolute path' },
    ]);
  });
});

describe('restore onto another host (prepareOtherHost)', () => {
  const ID = '0b5a3c2e-7d41-4f8e-9a6b-2c1d3e4f5a6b';
  const bundle = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-bundle-')), 'a.cjs');
  fs.writeFileSync(bundle, '// agent');
  /** A shell that records every script and file and answers the probe with `answer`. */
  function fakeShell(answer: string) {
    const scripts: string[] = [];
    const files = new Map<string, string>();
    const shell = {
      run: (_step: string, script: string) => {
        scripts.push(script);
        // Files a script writes through a heredoc (writeFileScript), as the host would have them.
        const heredoc = new RegExp(
          `cat > '([^']+)\\.kumiko-tmp' <<'${HEREDOC_MARKER}'\\n([\\s\\S]*?)\\n${HEREDOC_MARKER}\\n`,
          'g',
        );
        for (const [, file, content] of script.matchAll(heredoc)) {
          files.set(file as string, content as string);
        }
        return Promise.resolve({ code: 0, stdout: answer, stderr: '' });
      },
      writeFile: (_step: string, file: string, content: string) => {
        files.set(file, content);
        return Promise.resolve();
      },
    } as unknown as RemoteShell;
    return { shell, scripts, files };
  }
  const input = (shell: RemoteShell, pgMajor: string): OtherHostInput =>
    ({
      shell,
      host: { name: 'standby', detection: null },
      remoteRoot: '/',
      sourceServerId: 'src',
      sourceName: 'db1',
      stanza: 'main',
      pgMajor,
      verifyKey: 'ssh-ed25519 AAAA',
      storage: {
        endpoint: 'https://s3.example.com',
        bucket: 'b',
        region: 'eu',
        accessKeyId: 'k',
        secretAccessKey: 's',
      },
      cipherPass: 'c',
      resticPassword: null,
      bundlePath: bundle,
      runtime: { cacheDir: '/nonexistent' },
    }) as unknown as OtherHostInput;
  // The probe's answer: the same script made the restore agent's folders, and the host has
  // this agent program already.
  const found = [
    'pgbackrest=/usr/bin/pgbackrest',
    'postgres=102',
    'cpus=2',
    'node=/usr/bin/node',
    'nodeVersion=v22.12.0',
    'folders=ready',
    `bundle=${crypto.createHash('sha256').update('// agent').digest('hex')}`,
    '',
  ].join('\n');

  it('looks only in the package folders of a digits-only major version', async () => {
    const { shell, scripts, files } = fakeShell(`${found}bin=/usr/pgsql-16/bin\n`);
    const host = await prepareOtherHost(input(shell, '16'), ID);
    expect(scripts[0]).toContain(`for d in '/usr/lib/postgresql/16/bin' '/usr/pgsql-16/bin'; do`);
    await host.provision();
    const config = JSON.parse(files.get(host.agent.config) ?? '{}') as {
      pg: { binDirectory: string };
    };
    expect(config.pg.binDirectory).toBe('/usr/pgsql-16/bin');
  });

  it('refuses a version that is no major number before running anything', async () => {
    for (const v of ['../../../../tmp/x', "15'; id; '", '?']) {
      const { shell, scripts } = fakeShell(found);
      await expect(prepareOtherHost(input(shell, v), ID), v).rejects.toMatchObject({
        code: 'RESTORE_FAILED',
      });
      expect(scripts).toEqual([]);
    }
  });

  it('takes no binary folder the probe names outside the package folders', async () => {
    const { shell } = fakeShell(`${found}bin=/tmp/evil\n`);
    await expect(prepareOtherHost(input(shell, '15'), ID)).rejects.toThrow(
      /PostgreSQL 15 server binaries/,
    );
  });
});
