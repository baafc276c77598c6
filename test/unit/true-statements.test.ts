import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { walWaiting } from '../../agent/heartbeat/local-facts';
import { spoolTile } from '../../shared/agent/health';

// Issue 21 item 5: the spool tile says what is the case.

describe('spool tile', () => {
  it('says drained only when no WAL waits', () => {
    expect(spoolTile(0, 16)).toMatchObject({
      level: 'ok',
      value: 'none waiting',
      reason: 'No WAL waits for upload.',
    });
    const two = spoolTile(2, 16);
    expect(two.level).toBe('ok');
    expect(two.value).toBe('2 WAL files waiting');
    expect(two.reason).not.toMatch(/drained/i);
    expect(two.reason).toMatch(/^2 WAL files wait for upload/);
    expect(spoolTile(1, 16).reason).toMatch(/^1 WAL file waits for upload/);
    expect(spoolTile(20, 16)).toMatchObject({ level: 'warning', value: '20 WAL files waiting' });
  });

  it('counts the WAL PostgreSQL waits to archive, not pgBackRest’s acknowledgements', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-wal-waiting-'));
    try {
      expect(walWaiting(dir)).toBe(0);
      const status = path.join(dir, 'pg_wal', 'archive_status');
      fs.mkdirSync(status, { recursive: true });
      for (const name of [
        '000000010000000000000003.done',
        '000000010000000000000004.ready',
        '000000010000000000000005.ready',
      ])
        fs.writeFileSync(path.join(status, name), '');
      expect(walWaiting(dir)).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
