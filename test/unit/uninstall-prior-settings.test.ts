import { describe, expect, it } from 'vitest';
import { remoteLayout } from '../../electron/services/agent-install/layout';
import { restoreSystemScript } from '../../electron/services/agent-install/postgres-control';
import {
  changedSettings,
  targetSettings,
  type Preflight,
} from '../../electron/services/agent-install/preflight';
import {
  parsePriorSettings,
  priorSettingsRecord,
  reorderStatements,
  restorePlan,
} from '../../electron/services/agent-install/prior-settings';

// Issue 21 item 3: what install records and what uninstall puts back from it.

const target = targetSettings(remoteLayout('/'), 'main');
const before: Pick<Preflight, 'settings' | 'autoConf' | 'autoConfNames'> = {
  settings: {
    archive_mode: 'off',
    archive_command: '(disabled)',
    archive_timeout: '300',
    wal_level: 'replica',
  },
  // The customer set archive_timeout with ALTER SYSTEM; the rest comes from postgresql.conf.
  autoConf: { archive_timeout: '5min' },
  autoConfNames: ['archive_timeout', 'work_mem'],
};
const record = priorSettingsRecord(before, changedSettings(before.settings, target));

describe('prior settings', () => {
  it('puts back the lines postgresql.auto.conf had: the old value, or none', () => {
    const { restore, left } = restorePlan(record, { autoConf: target });
    expect(left).toEqual([]);
    expect(restore).toEqual([
      { name: 'archive_mode', value: null, before: 'off' },
      { name: 'archive_command', value: null, before: '(disabled)' },
      { name: 'archive_timeout', value: '5min', before: '300' },
      { name: 'wal_level', value: null, before: 'replica' },
    ]);
  });

  it('leaves a setting the admin changed since install, and names it', () => {
    const now = { autoConf: { ...target, archive_timeout: '120' } };
    const { restore, left } = restorePlan(record, now);
    expect(restore.map((r) => r.name)).not.toContain('archive_timeout');
    expect(left).toEqual([
      { name: 'archive_timeout', now: '120', reason: 'changed-since-install' },
    ]);
  });

  it('touches only what install changed', () => {
    const already = { ...before, settings: { ...before.settings, wal_level: 'logical' } };
    const r = priorSettingsRecord(already, changedSettings(already.settings, target));
    expect(restorePlan(r, { autoConf: target }).restore.map((x) => x.name)).toEqual([
      'archive_mode',
      'archive_command',
      'archive_timeout',
    ]);
  });

  it('reads its own record back, and an old one as the old uninstall did', () => {
    expect(parsePriorSettings(JSON.stringify(record), target)).toEqual(record);
    const old = parsePriorSettings(JSON.stringify({ settings: before.settings }), target);
    expect(old?.autoConf).toEqual({
      archive_mode: 'off',
      archive_timeout: '300',
      wal_level: 'replica',
    });
    expect(Object.keys(old?.changed ?? {})).toEqual([
      'archive_mode',
      'archive_command',
      'archive_timeout',
      'wal_level',
    ]);
    for (const text of ['', 'not json', '{"settings": 3}', null])
      expect(parsePriorSettings(text, target)).toBeNull();
  });

  it('writes RESET for no line and a quoted SET for a value', () => {
    const pre = {
      cluster: { socketDirectory: '/run/postgresql', port: 5432 },
    } as unknown as Preflight;
    const script = restoreSystemScript(pre, [
      { name: 'archive_mode', value: null },
      { name: 'archive_command', value: "cp %p '/mnt/wal/%f'" },
    ]);
    expect(script).toContain('ALTER SYSTEM RESET archive_mode;');
    expect(script).toContain("ALTER SYSTEM SET archive_command = 'cp %p ''/mnt/wal/%f''';");
  });
});

describe('postgresql.auto.conf order', () => {
  const line = (name: string, value = 'x') => ({ name, value });

  it('sets again, in order, every line from the first out of place', () => {
    // archive_timeout was set back last, so ALTER SYSTEM moved it behind work_mem.
    expect(
      reorderStatements(
        ['archive_timeout', 'work_mem'],
        [line('work_mem', '8MB'), line('archive_timeout', '5min')],
      ),
    ).toEqual([line('archive_timeout', '5min'), line('work_mem', '8MB')]);
  });

  it('changes nothing when the order is right, and keeps lines added since at the end', () => {
    expect(reorderStatements(['a', 'b'], [line('a'), line('b'), line('c')])).toEqual([]);
    expect(reorderStatements(['a', 'b'], [line('c'), line('b'), line('a')])).toEqual([
      line('a'),
      line('b'),
      line('c'),
    ]);
    // A line removed since install is not brought back.
    expect(reorderStatements(['a', 'gone', 'b'], [line('b'), line('a')])).toEqual([
      line('a'),
      line('b'),
    ]);
  });
});
