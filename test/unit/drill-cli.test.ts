import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseArgs } from '../../electron/cli/args';
import { formatEntry, formatOverview, formatSync } from '../../electron/cli/drill-commands';
import { printError } from '../../electron/cli/output';
import { reportCommand } from '../../electron/cli/report-commands';
import type { AppCore } from '../../electron/ipc/app-core';
import type { Result } from '../../shared/contract';
import { DRILL_ID, drillEntry, drillOverview, SERVER_ID } from './renderer-fakes';

// What `kumiko drill run|list|sync` and `kumiko report countersign` print for people (with
// --json they print the Result).

describe('kumiko drill output', () => {
  it('prints a run’s archived report with RTO, RPO and the offline verify command', () => {
    const text = formatEntry(drillEntry());
    expect(text).toContain('Drill drill-20261127T031500Z on ERP: PASSED');
    expect(text).toContain('RTO       252 s (4 min 12 s)');
    expect(text).toContain('RPO       41 s');
    expect(text).toContain('kumiko report verify /home/admin/.config/kumiko-recovery/reports/');
    expect(formatEntry(drillEntry({ passed: false, rtoSeconds: null }))).toMatch(
      /FAILED[\s\S]*RTO {7}–/,
    );
  });

  it('lists the history newest first with the schedule above it', () => {
    const text = formatOverview(drillOverview());
    const lines = text.split('\n');
    expect(lines[0]).toBe('Next scheduled drill: 2027-02-26T03:15:00.000Z');
    expect(lines[1]).toBe('Interval: every 91 days, smoke checks: 1');
    expect(lines[2]).toBe(
      'Database check: pg_amcheck, tables and B-tree indexes (deep index check off)',
    );
    expect(formatOverview(drillOverview({ amcheckHeapAllIndexed: true }))).toContain(
      'Database check: pg_amcheck --heapallindexed (deep index check on)',
    );
    expect(lines.filter((l) => /passed|FAILED/.test(l)).map((l) => l.slice(0, 10))).toEqual([
      '2026-11-27',
      '2026-08-28',
      '2026-05-29',
    ]);
    expect(
      formatOverview(drillOverview({ reports: [], intervalSeconds: 0, nextDrillAt: null })),
    ).toContain('Next scheduled drill: off');
  });

  it('names refused reports and why', () => {
    const text = formatSync({
      imported: 1,
      importedDrillIds: ['drill-1'],
      refused: [
        {
          drillId: 'drill-2',
          code: 'REPORT_UNVERIFIED',
          message: 'does not verify',
          problems: ['bad signature'],
        },
      ],
      pending: ['drill-3'],
    });
    expect(text).toBe(
      '1 report(s) archived.\nREFUSED drill-2: does not verify\n  bad signature\nStill uploading: drill-3\n',
    );
  });
});

describe('kumiko report countersign', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Runs the command against a core that answers `answer`; what it printed and dispatched. */
  async function countersign(argv: string[], answer: Result<unknown>) {
    const dispatched: { name: string; raw: unknown }[] = [];
    const core = {
      dispatch: async (name: string, raw: unknown) => {
        dispatched.push({ name, raw });
        return answer;
      },
    } as unknown as AppCore;
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
    const args = parseArgs(['report', 'countersign', ...argv]);
    // Usage errors are thrown and printed by main's one error path (electron/cli/output.ts).
    const code = await reportCommand(core, args, args.flags.has('json')).catch((e: unknown) =>
      printError(e, args.flags.has('json')),
    );
    vi.restoreAllMocks();
    return { code, out, err, dispatched };
  }

  it('countersigns through reports.countersign and says so in one line', async () => {
    const signed = drillEntry({ countersigned: true });
    const run = await countersign([SERVER_ID, DRILL_ID], { ok: true, value: signed });
    expect(run.dispatched).toEqual([
      { name: 'reports.countersign', raw: { serverId: SERVER_ID, drillId: DRILL_ID } },
    ]);
    expect(run.out).toBe(`Drill ${DRILL_ID} on ERP is now countersigned by the app (report #3).\n`);
    expect(run.code).toBe(0);
    const json = await countersign([SERVER_ID, DRILL_ID, '--json'], { ok: true, value: signed });
    expect(JSON.parse(json.out)).toEqual({ ok: true, value: signed });
  });

  it('exits 6 (refused) with the refusal and 2 without a drill id', async () => {
    const refused = await countersign([SERVER_ID, DRILL_ID], {
      ok: false,
      error: {
        code: 'CONFLICT',
        message: `Report ${DRILL_ID} is already countersigned by this app.`,
      },
    });
    expect(refused.code).toBe(6);
    expect(refused.err).toBe(
      `error CONFLICT: Report ${DRILL_ID} is already countersigned by this app.\n`,
    );
    const usage = await countersign([SERVER_ID], { ok: true, value: null });
    expect(usage.code).toBe(2);
    expect(usage.dispatched).toEqual([]);
    expect(usage.err).toContain('kumiko report countersign <server id> <drill id>');
  });
});
