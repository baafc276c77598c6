import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmokeOutcome } from '../../agent/drill/smoke-checks';
import { DrillRunSummary, type SmokeCheck } from '../../shared/agent/drill';
import { ReportJson } from '../../shared/report/report-json';
import { buildAgentBundle, startAgentEnv, type AgentEnv } from '../harness/agent-env';
import { pidsWithArgument, runCommand, stopAll } from '../harness';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Issue 15 §5: whoever sets smoke checks (the app, or anyone who can write the agent config)
// must not get to run programs as the postgres OS user on the customer's server. The attack
// that worked: `COMMIT; COPY (SELECT 1) TO PROGRAM '…'`, which the superuser's psql session ran
// statement by statement past the read-only transaction. Here a real drill (bundled agent,
// production under a steady writer) runs that and its relatives against a folder the postgres
// OS user can write to: no marker file appears, each hostile check fails with the sandbox's
// reason, the honest checks (a count, and what the sandbox itself looks like) pass, and every
// other check of the drill passes too. The config is written directly, past the app's
// validation, so it is the agent's sandbox that is tested.

const ITEMS = 1000;
const TIMEOUT_SECONDS = 3;

let env: AgentEnv;
let load: WriteLoad;
let markerDir: string;

const marker = (name: string): string => path.join(markerDir, name);

/** The hostile checks, by name, with the reason each must fail with. */
const HOSTILE: Record<string, { sql: () => string; why: RegExp }> = {
  'several statements': {
    sql: () => `COMMIT; COPY (SELECT 1) TO PROGRAM 'touch ${marker('multi')}'`,
    why: /^refused: it holds more than one SQL statement/,
  },
  'one COPY TO PROGRAM': {
    sql: () => `COPY (SELECT 1) TO PROGRAM 'touch ${marker('single')}'`,
    why: /^refused: permission denied.*pg_execute_server_program/,
  },
  'read a server file': {
    sql: () => "SELECT pg_read_file('/etc/passwd')",
    why: /^refused: permission denied.*pg_read_file/,
  },
  'DO block that writes': {
    sql: () => 'DO $$ BEGIN INSERT INTO items VALUES (-1); END $$',
    why: /^refused: it tried to write.*read-only transaction/,
  },
  'DO block that runs a program': {
    sql: () => `DO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch ${marker('do')}'''; END $$`,
    why: /^refused: permission denied.*pg_execute_server_program/,
  },
  'a long sleep': {
    sql: () => 'SELECT pg_sleep(1000)',
    why: new RegExp(
      `^cancelled: it ran longer than the smoke-check timeout of ${TIMEOUT_SECONDS} s`,
    ),
  },
};

/** The honest checks: all must pass. */
const HONEST: SmokeCheck[] = [
  {
    name: 'items counted',
    database: 'shop',
    sql: 'SELECT count(*) FROM items;',
    expect: 'equals',
    value: String(ITEMS),
  },
  {
    name: 'the writer wrote',
    database: 'shop',
    sql: 'SELECT count(*) FROM kumiko_marker',
    expect: 'atLeast',
    value: '1',
  },
  {
    name: 'runs as a plain role',
    database: 'shop',
    sql: `SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls
            OR pg_has_role('pg_execute_server_program', 'USAGE')
            OR pg_has_role('pg_write_server_files', 'USAGE')
            OR pg_has_role('pg_read_server_files', 'USAGE')
          FROM pg_roles WHERE rolname = current_user`,
    expect: 'equals',
    value: 'f',
  },
  {
    name: 'reads all data',
    database: 'postgres',
    sql: "SELECT pg_has_role('pg_read_all_data', 'USAGE')",
    expect: 'equals',
    value: 't',
  },
  {
    name: 'read-only with the timeout',
    database: 'shop',
    sql: "SELECT current_setting('transaction_read_only') || ' ' || current_setting('statement_timeout')",
    expect: 'equals',
    value: `on ${TIMEOUT_SECONDS}s`,
  },
];

beforeAll(async () => {
  // A folder the scratch cluster's OS user (postgres) can write to, as an attacker's target
  // would be: the test sees the attack succeed if the sandbox lets it through.
  markerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-smoke-markers-'));
  fs.chmodSync(markerDir, 0o777);
  const hostile: SmokeCheck[] = Object.entries(HOSTILE).map(([name, h]) => ({
    name,
    database: 'shop',
    sql: h.sql(),
    expect: 'equals',
    value: '1',
  }));
  [env] = await Promise.all([
    startAgentEnv({
      config: (c) => ({
        ...c,
        drill: {
          ...c.drill,
          smokeCheckTimeoutSeconds: TIMEOUT_SECONDS,
          smokeChecks: [HONEST[0] as SmokeCheck, ...hostile, ...HONEST.slice(1)],
        },
      }),
    }),
    buildAgentBundle(),
  ]);
  // The cluster's OS user must reach drill.scratchRoot inside the env's (0700) temp folder.
  fs.chmodSync(env.dir, 0o711);
  await env.pg.psql('CREATE DATABASE shop');
  await env.pg.psql(
    `CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);
     INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, ${ITEMS}) g;
     -- As a cautious customer might: only named roles may connect.
     REVOKE CONNECT ON DATABASE shop FROM PUBLIC;`,
    'shop',
  );
  load = await startWriteLoad(env.pg, { markerDb: 'shop', pgbenchDb: 'postgres' });
}, 240_000);

afterAll(async () => {
  await load?.stop();
  const scratchRoot = env?.config.drill.scratchRoot;
  for (const pid of scratchRoot ? pidsWithArgument(scratchRoot) : []) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  await env?.stop();
  await stopAll();
  if (markerDir) fs.rmSync(markerDir, { recursive: true, force: true });
});

describe('smoke checks run sandboxed in the throwaway cluster', () => {
  it('the marker folder is writable by the postgres OS user (the attack would land there)', async () => {
    await runCommand('touch', [marker('probe')], { runAs: 'postgres', name: 'touch as postgres' });
    expect(fs.existsSync(marker('probe'))).toBe(true);
    fs.rmSync(marker('probe'));
  });

  it('refuses several statements, programs, server files, writes and long queries; the rest passes', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // marker rows to count
    const snapshot = await env.agent(['snapshot']);
    expect(snapshot.code, snapshot.stderr).toBe(0);
    const t0 = Date.now();
    const run = await env.agent(['drill'], 600_000);
    const seconds = (Date.now() - t0) / 1000;
    expect(run.stdout, run.stderr.split('\n').slice(-12).join('\n')).not.toBe('');
    const summary = DrillRunSummary.parse(JSON.parse(run.stdout));
    const outcomes = JSON.parse(
      env.object(`${summary.bundlePrefix}evidence/smoke-checks.json`).toString(),
    ) as SmokeOutcome[];
    const report = ReportJson.parse(
      JSON.parse(env.object(`${summary.bundlePrefix}report.json`).toString()),
    );
    const why = JSON.stringify(
      { outcomes, checks: report.drill.checks.filter((c) => !c.passed) },
      null,
      2,
    );

    // No attack reached the OS.
    expect(fs.readdirSync(markerDir), why).toEqual([]);

    // Each hostile check failed, with the sandbox's reason.
    for (const [name, hostile] of Object.entries(HOSTILE)) {
      const outcome = outcomes.find((o) => o.name === name);
      expect(outcome, `${name}\n${why}`).toBeDefined();
      expect(outcome?.passed, `${name}\n${why}`).toBe(false);
      expect(outcome?.why, `${name}\n${why}`).toMatch(hostile.why);
    }
    // The honest ones passed, after the hostile ones as well as before them.
    for (const honest of HONEST) {
      const outcome = outcomes.find((o) => o.name === honest.name);
      expect(outcome?.passed, `${honest.name}\n${why}`).toBe(true);
    }
    // The drill as a whole: only the smoke checks failed, and their detail names each reason.
    expect(summary.passed).toBe(false);
    expect(summary.failedChecks, why).toEqual(['smoke-checks']);
    const smoke = report.drill.checks.find((c) => c.id === 'smoke-checks');
    expect(smoke?.detail).toMatch(/^6 of 11 queries failed/);
    expect(smoke?.detail).toContain('"several statements" refused: it holds more than one SQL');
    // pg_sleep(1000) was cancelled at the timeout, not waited for.
    console.log(`drill with sandboxed smoke checks took ${seconds.toFixed(1)} s`);
    expect(seconds).toBeLessThan(300);
  }, 600_000);
});
