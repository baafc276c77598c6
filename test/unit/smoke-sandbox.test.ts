import { describe, expect, it } from 'vitest';
import {
  legacyReadGrantsSql,
  majorOf,
  sandboxReason,
  scramVerifier,
  smokeRoleSql,
} from '../../agent/drill/smoke-sandbox';
import { DrillSettings } from '../../shared/agent/drill';
import { smokeSqlProblem, splitSqlStatements } from '../../shared/agent/smoke-sql';
import { DrillSettingsInput } from '../../shared/contract/drill';
import { scratchHba } from '../../shared/restore/scratch-settings';
import { emptySmokeCheck, smokeCheckProblems } from '../../renderer/stores/drills-model';

// Smoke checks are sandboxed (issue 15 §5). The statement splitter is the first line of defence
// where checks are saved; the agent's sandbox (a read-only role, one extended-protocol
// statement, a timeout) is the real one, run for real in drill-smoke-sandbox.test.ts. Here: the
// splitter, the validation built on it, and the sandbox's pure parts.

describe('splitting SQL into statements', () => {
  it('finds one statement, with or without a trailing semicolon and comments', () => {
    expect(splitSqlStatements('SELECT count(*) FROM orders')).toEqual([
      'SELECT count(*) FROM orders',
    ]);
    expect(splitSqlStatements('SELECT count(*) FROM orders;')).toHaveLength(1);
    expect(splitSqlStatements('  SELECT 1 ;  ;\n -- done\n')).toEqual(['SELECT 1']);
    expect(splitSqlStatements('SELECT 1; /* trailing */')).toHaveLength(1);
    expect(splitSqlStatements('-- only a comment')).toEqual([]);
    expect(splitSqlStatements('')).toEqual([]);
  });

  it('splits at semicolons outside quotes and comments', () => {
    expect(splitSqlStatements('SELECT 1; SELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
    expect(splitSqlStatements("COMMIT; COPY (SELECT 1) TO PROGRAM 'touch /tmp/x'")).toHaveLength(2);
    expect(splitSqlStatements('SELECT 1 -- ;\n; SELECT 2')).toHaveLength(2);
    // A semicolon after a comment that hides nothing still separates.
    expect(splitSqlStatements("SELECT 1 /* a */; COPY x TO PROGRAM 'y'")).toHaveLength(2);
  });

  it('does not split inside string literals, identifiers, comments or dollar quotes', () => {
    const one = [
      "SELECT count(*) FROM t WHERE note = 'a; b'",
      "SELECT 'it''s; fine'",
      "SELECT E'a\\'; b'",
      'SELECT "odd;name" FROM t',
      'SELECT "a""; b" FROM t',
      'SELECT 1 /* ; /* nested ; */ still ; */',
      'SELECT 1 -- ; comment',
      'SELECT $$a; b$$',
      'SELECT $tag$ $$ ; $x$ ; $tag$',
      'DO $$ BEGIN PERFORM 1; PERFORM 2; END $$',
      "SELECT U&'d\\0061t; a'",
    ];
    for (const sql of one) expect(splitSqlStatements(sql), sql).toHaveLength(1);
  });

  it('treats $ inside a word as part of the word, not a dollar quote', () => {
    // `a$b$` is an identifier; the semicolon after it separates two statements.
    expect(splitSqlStatements('SELECT 1 AS a$b$; SELECT 2')).toHaveLength(2);
    // $1 is a parameter, not a quote.
    expect(splitSqlStatements('SELECT $1; SELECT 2')).toHaveLength(2);
  });

  it('does not take an E at the end of a word for an escape-string prefix', () => {
    // `somE'...'` is no E-string: the backslash does not escape the quote, so it ends there.
    expect(splitSqlStatements("SELECT 1 AS somE'\\'; SELECT 2")).toHaveLength(2);
    expect(splitSqlStatements("SELECT e'\\\\'; SELECT 2")).toHaveLength(2);
  });

  it('runs unterminated quotes and comments to the end (one statement; the server refuses it)', () => {
    expect(splitSqlStatements("SELECT 'open; SELECT 2")).toHaveLength(1);
    expect(splitSqlStatements('SELECT 1 /* open; SELECT 2')).toHaveLength(1);
    expect(splitSqlStatements('SELECT $q$ open; SELECT 2')).toHaveLength(1);
  });

  it('names what is wrong with a smoke check', () => {
    expect(smokeSqlProblem('SELECT 1;')).toBeNull();
    expect(smokeSqlProblem('  -- nothing\n')).toBe('empty');
    expect(smokeSqlProblem("COMMIT; COPY (SELECT 1) TO PROGRAM 'touch /tmp/m'")).toBe('several');
  });
});

describe('saving smoke checks refuses several statements', () => {
  const input = (sql: string): unknown => ({
    serverId: '3f1c2b9e-8a7d-4c6b-9e5f-1a2b3c4d5e6f',
    intervalSeconds: 86_400,
    smokeChecks: [{ name: 'c', database: 'shop', sql, expect: 'equals', value: '1' }],
  });

  it('in the contract the app validates every save with', () => {
    expect(DrillSettingsInput.safeParse(input('SELECT 1;')).success).toBe(true);
    const refused = DrillSettingsInput.safeParse(
      input("COMMIT; COPY (SELECT 1) TO PROGRAM 'touch /tmp/m'"),
    );
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ['smokeChecks', 0, 'sql'] });
    expect(refused.error?.issues[0]?.message).toMatch(/exactly one SQL statement/);
    expect(DrillSettingsInput.safeParse(input('/* nothing */')).success).toBe(false);
  });

  it('in the settings form, before anything is sent', () => {
    const draft = { ...emptySmokeCheck(), name: 'c', value: '1' };
    expect(smokeCheckProblems({ ...draft, sql: 'SELECT 1;' }).sql).toBeUndefined();
    expect(smokeCheckProblems({ ...draft, sql: 'SELECT 1; SELECT 2' }).sql).toBe('sqlSeveral');
    expect(smokeCheckProblems({ ...draft, sql: '-- x' }).sql).toBe('sqlRequired');
  });

  it('while the agent config still loads a check written before (the server refuses it then)', () => {
    const parsed = DrillSettings.parse({
      smokeChecks: [{ name: 'old', sql: 'SELECT 1; SELECT 2', value: '1' }],
    });
    expect(parsed.smokeChecks).toHaveLength(1);
    expect(parsed.smokeCheckTimeoutSeconds).toBe(60);
    expect(DrillSettings.safeParse({ smokeCheckTimeoutSeconds: 0 }).success).toBe(false);
  });
});

describe('the smoke-check sandbox', () => {
  it('lets the smoke-check role in over the socket by password, before the restored rules', () => {
    const lines = scratchHba('postgres', 'local all all trust\n').split('\n');
    expect(lines[1]).toBe('local all postgres peer');
    expect(lines[2]).toBe('local all kumiko_smoke_check scram-sha-256');
    expect(lines.indexOf('local all all trust')).toBeGreaterThan(2);
  });

  it('stores a SCRAM verifier as PostgreSQL computes it (the password never reaches the server)', () => {
    // PostgreSQL 15's own verifier for 'pencil' with this salt (CREATE ROLE … PASSWORD 'pencil').
    expect(scramVerifier('pencil', Buffer.from('p58LVt0QFnjLtR8O2cOMgg==', 'base64'))).toBe(
      'SCRAM-SHA-256$4096:p58LVt0QFnjLtR8O2cOMgg==$z/d4LyRm0QiHmZDg9Bxcjtzs79KwdQn091KS3akJGnw=:EOQPyhKuxyRTuN5UF+T89dqGPkLGlR9vVcGPWfYH8so=',
    );
    expect(scramVerifier('x')).not.toBe(scramVerifier('x'));
  });

  it('creates a login role without rights beyond reading data, read-only, with the timeout', () => {
    const sql = smokeRoleSql({
      verifier: 'SCRAM-SHA-256$4096:s$a:b',
      timeoutSeconds: 7,
      major: 15,
      databases: ['shop', "o'brien"],
      suffix: 'abcd',
    });
    expect(sql).toContain(
      'CREATE ROLE kumiko_smoke_check LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
    );
    expect(sql).toContain("PASSWORD 'SCRAM-SHA-256$4096:s$a:b'");
    expect(sql).toContain('ALTER ROLE kumiko_smoke_check SET default_transaction_read_only = on;');
    expect(sql).toContain("ALTER ROLE kumiko_smoke_check SET statement_timeout = '7s';");
    expect(sql).toContain('GRANT pg_read_all_data TO kumiko_smoke_check;');
    expect(sql).toContain("ARRAY['shop', 'o''brien']::text[]");
    expect(sql).toContain('RENAME TO kumiko_smoke_check_restored_abcd');
    expect(sql).not.toMatch(/GRANT pg_(execute_server_program|write_server_files|read_server)/);
    // Before 14 there is no pg_read_all_data: grants per database instead.
    const old = smokeRoleSql({
      verifier: 'v',
      timeoutSeconds: 7,
      major: 13,
      databases: [],
      suffix: 'a',
    });
    expect(old).not.toContain('pg_read_all_data');
    expect(old).toContain('ARRAY[]::text[]');
    expect(legacyReadGrantsSql()).toContain(
      'GRANT SELECT ON ALL TABLES IN SCHEMA %I TO kumiko_smoke_check',
    );
    expect(legacyReadGrantsSql()).not.toMatch(/INSERT|UPDATE|DELETE|ALL PRIVILEGES/);
    expect(majorOf('15')).toBe(15);
    expect(majorOf('13.4')).toBe(13);
  });

  it('names the sandbox’s refusals in the report', () => {
    const error = (code: string, message: string): Error =>
      Object.assign(new Error(message), { code });
    expect(
      sandboxReason(
        error('42601', 'cannot insert multiple commands into a prepared statement'),
        60,
      ),
    ).toMatch(/more than one SQL statement/);
    expect(
      sandboxReason(
        error(
          '42501',
          'must be superuser or have privileges of the pg_execute_server_program role',
        ),
        60,
      ),
    ).toMatch(/^refused: permission denied.*pg_execute_server_program/);
    expect(
      sandboxReason(error('25006', 'cannot execute INSERT in a read-only transaction'), 60),
    ).toMatch(/^refused: it tried to write/);
    expect(sandboxReason(error('57014', 'canceling statement due to statement timeout'), 3)).toBe(
      'cancelled: it ran longer than the smoke-check timeout of 3 s',
    );
    expect(
      sandboxReason(error('42501', 'query would be affected by row-level security policy'), 3),
    ).toMatch(/row-level security/);
    expect(sandboxReason(error('42P01', 'relation "x" does not exist'), 3)).toBe(
      'the query failed: relation "x" does not exist',
    );
  });
});
