import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { psqlArgs } from '../../agent/engines/psql';
import type { AgentConfig } from '../../shared/agent/config';
import type { RecoveryPointManifest } from '../../shared/agent/manifest';
import type { CatalogModel, ResolvedRecovery } from '../../shared/catalog';
import { conninfoValue, databaseConninfo, psqlDatabaseArg } from '../../shared/postgres-conninfo';
import {
  requireVerifiedPoint,
  unverifiedManifestReason,
  withVerifiedFiles,
} from '../../electron/services/restore/manifest-loader';
import { productionConfirmation } from '../../electron/services/restore/production-plan';

// Issue 15 §6: nothing unsigned from the bucket is used, and no database name is ever read as
// a connection string. The integration test (restore-untrusted-manifest) runs the attacks on
// the real harness; these pin the pieces.

const HOSTILE = 'host=/tmp/kumiko-evil port=5432 dbname=postgres';
const PG_BIN = '/usr/lib/postgresql/15/bin';

const config = {
  pg: {
    binDirectory: PG_BIN,
    socketDirectory: '/var/run/postgresql',
    port: 5432,
    osUser: 'postgres',
  },
} as unknown as AgentConfig;

describe('database names to psql', () => {
  it('quotes conninfo values', () => {
    expect(conninfoValue('chinook')).toBe("'chinook'");
    expect(conninfoValue("it's")).toBe("'it\\'s'");
    expect(conninfoValue('a\\b')).toBe("'a\\\\b'");
    expect(conninfoValue("\\'")).toBe("'\\\\\\''");
    expect(() => conninfoValue('a\0b')).toThrow(/NUL/);
  });

  it('names a database only by dbname, whatever the name holds', () => {
    expect(databaseConninfo('chinook')).toBe("dbname='chinook'");
    expect(databaseConninfo(HOSTILE)).toBe(`dbname='${HOSTILE}'`);
    expect(databaseConninfo("x' host='/tmp/evil")).toBe("dbname='x\\' host=\\'/tmp/evil'");
    expect(databaseConninfo('postgresql://evil.example/x')).toBe(
      "dbname='postgresql://evil.example/x'",
    );
    expect(databaseConninfo('db', { replication: 'database' })).toBe(
      "dbname='db' replication=database",
    );
    expect(() => databaseConninfo('')).toThrow(/empty/);
    expect(psqlDatabaseArg(HOSTILE)).toBe(`--dbname=dbname='${HOSTILE}'`);
  });

  it("the agent's psql gets the conninfo form and no bare -d", () => {
    const [command, args] = psqlArgs(config, HOSTILE);
    expect(command).toBe(`${PG_BIN}/psql`);
    expect(args).not.toContain('-d');
    expect(args).not.toContain(HOSTILE);
    expect(args.slice(-1)).toEqual([`--dbname=dbname='${HOSTILE}'`]);
    expect(args.slice(args.indexOf('-h'), args.indexOf('-h') + 4)).toEqual([
      '-h',
      '/var/run/postgresql',
      '-p',
      '5432',
    ]);
    expect(psqlArgs(config, 'db', { replication: 'database' })[1].slice(-1)).toEqual([
      "--dbname=dbname='db' replication=database",
    ]);
  });

  it.skipIf(!fs.existsSync(`${PG_BIN}/psql`))(
    'libpq connects where -h says, not where a database name says',
    () => {
      const psql = (arg: string) =>
        spawnSync(
          `${PG_BIN}/psql`,
          ['-X', '-h', '/nonexistent-kumiko', '-p', '5', '-U', 'postgres', arg, '-c', 'SELECT 1'],
          { encoding: 'utf8' },
        ).stderr;
      // The attack: a bare -d with a conninfo-shaped name goes to the name's socket.
      expect(psql(`-d${HOSTILE}`)).toContain('/tmp/kumiko-evil/.s.PGSQL.5432');
      // The form every caller uses now stays on -h and -p.
      for (const name of [HOSTILE, 'postgresql://evil.invalid:1/x']) {
        const err = psql(psqlDatabaseArg(name));
        expect(err).toContain('/nonexistent-kumiko/.s.PGSQL.5');
        expect(err).not.toContain('kumiko-evil');
        expect(err).not.toContain('evil.invalid');
      }
    },
  );
});

function manifest(label: string, databases: [string, number][]): RecoveryPointManifest {
  return {
    serverId: 's1',
    label,
    databases: databases.map(([name, rows]) => ({
      name,
      isolation: 'exported snapshot',
      tables: [{ schema: 'public', table: 't', rowCount: rows, checksum: '0'.repeat(32) }],
    })),
  } as unknown as RecoveryPointManifest;
}

describe('the name to type before restoring over production', () => {
  const m = manifest('20261126-020000F', [
    [HOSTILE, 1e9],
    ['erp', 1000],
    ['postgres', 5],
  ]);

  it('is a database production lists itself, never one only the manifest names', () => {
    const confirm = productionConfirmation(m, 'db1', ['erp', 'postgres']);
    expect(confirm.name).toBe('erp');
    expect(confirm.source).toBe('manifest');
    expect(confirm.databases.map((d) => d.name)).toEqual(['erp', 'postgres']);
  });

  it("is the server's name when production lists none of the manifest's databases", () => {
    expect(productionConfirmation(m, 'db1', ['other'])).toMatchObject({
      name: 'db1',
      source: 'server-name',
      databases: [],
    });
  });

  it('a real database with such a name is only ever typed, so it may be the name', () => {
    expect(productionConfirmation(m, 'db1', [HOSTILE, 'erp']).name).toBe(HOSTILE);
  });
});

function model(points: Record<string, 'valid' | 'invalid' | 'missing' | null>): CatalogModel {
  return {
    backups: Object.entries(points).map(([label, signature]) => ({
      label,
      entry: {
        label,
        manifest: signature
          ? {
              key: `k/${label}`,
              sha256: 'x',
              signature,
              resticSnapshotId: null,
              tables: 1,
              rows: 1,
            }
          : null,
      },
    })),
  } as unknown as CatalogModel;
}

describe('recovery points whose manifest does not verify', () => {
  const catalog = model({ signed: 'valid', unsigned: 'missing', forged: 'invalid', bare: null });

  it('are refused with the reason, before anything happens', () => {
    expect(unverifiedManifestReason(catalog, 'signed')).toBeNull();
    expect(unverifiedManifestReason(catalog, 'bare')).toBeNull();
    expect(() => requireVerifiedPoint(catalog, 'signed')).not.toThrow();
    expect(() => requireVerifiedPoint(catalog, 'unsigned')).toThrow(
      expect.objectContaining({
        code: 'RESTORE_NOT_COVERED',
        message: expect.stringMatching(
          /unsigned is not restored: its manifest in the bucket has no signature/,
        ),
      }),
    );
    expect(() => requireVerifiedPoint(catalog, 'forged')).toThrow(
      expect.objectContaining({
        code: 'RESTORE_NOT_COVERED',
        message: expect.stringMatching(/does not verify against the agent key pinned at install/),
      }),
    );
  });

  it('give no attached files to a restore', () => {
    const resolved = {
      attachedFiles: { label: 'unsigned', resticSnapshotId: 'abc', takenAt: null },
      warnings: [],
      warningWords: [],
    } as unknown as ResolvedRecovery;
    const used = withVerifiedFiles(catalog, resolved);
    expect(used.attachedFiles).toBeNull();
    expect(used.warnings.join(' ')).toMatch(/Attached files are not restored.*no signature/);
    const signed = { ...resolved, attachedFiles: { ...resolved.attachedFiles, label: 'signed' } };
    expect(withVerifiedFiles(catalog, signed as ResolvedRecovery)).toBe(signed);
  });
});
