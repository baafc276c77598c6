import { describe, expect, it } from 'vitest';
import type { RecordVersion } from '../../shared/audit/rollback-plan';
import {
  keyText,
  shownValue,
  targetBefore,
  valueJson,
  versionChanges,
} from '../../renderer/features/record-history/record-text';

const version = (
  id: string,
  old: RecordVersion['old'],
  now: RecordVersion['new'],
): RecordVersion => ({
  id,
  op: old && now ? 'U' : now ? 'I' : 'D',
  at: '2026-12-06T10:00:00.000001Z',
  txid: '1',
  dbUser: 'app',
  applicationName: null,
  actor: null,
  reason: null,
  changedColumns: null,
  old,
  new: now,
});

describe('record history page helpers', () => {
  it('goes back to right after the version before, or before every version for the first', () => {
    const a = version('7', null, { id: '1', name: '"a"' });
    const b = version('9', { id: '1', name: '"a"' }, { id: '1', name: '"b"' });
    expect(targetBefore([a, b], b)).toEqual({ afterVersion: '7' });
    expect(targetBefore([a, b], a)).toEqual({ at: '1970-01-01T00:00:00Z' });
  });

  it('lists only the fields a version changed, null for an insert’s before', () => {
    const b = version('9', { id: '1', name: '"a"', n: '1' }, { id: '1', name: '"b"', n: '1' });
    expect(versionChanges(b)).toEqual([{ column: 'name', before: '"a"', after: '"b"' }]);
    const i = version('7', null, { id: '1' });
    expect(versionChanges(i)).toEqual([{ column: 'id', before: null, after: '1' }]);
  });

  it('writes typed values as JSON text and shows JSON text without quotes', () => {
    expect(valueJson('O\'Brien "x"')).toBe('"O\'Brien \\"x\\""');
    expect(shownValue('"a b"')).toBe('a b');
    expect(shownValue('12.50')).toBe('12.50');
    expect(shownValue('null')).toBeNull();
    expect(keyText({ order_id: '7', line: '"A-1"' })).toBe('order_id=7, line=A-1');
  });
});
