import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentsRepo, type InstalledAgent } from '../../electron/services/agent-install/agents-repo';
import { verifyWithRing, ringId } from '../../electron/services/catalog/agent-key-ring';
import { openDatabase, type Db } from '../../electron/services/store/database';

describe('agent key ring', () => {
  const ring = {
    current: 'NEW',
    retired: [{ publicKey: 'OLD', retiredAt: '2026-12-01T12:00:00.000Z' }],
  };
  const signedBy = (who: string) => (key: string) => key === who;

  it('accepts the current key whenever, and a retired one only for what it signed before', () => {
    expect(verifyWithRing(ring, signedBy('NEW'), () => '2026-12-05T00:00:00Z')).toBe('valid');
    expect(verifyWithRing(ring, signedBy('OLD'), () => '2026-12-01T11:59:59Z')).toBe('valid');
    expect(verifyWithRing(ring, signedBy('OLD'), () => '2026-12-01T12:00:01Z')).toBe('invalid');
    // No time to judge by: a retired key's signature counts for nothing.
    expect(verifyWithRing(ring, signedBy('OLD'), () => null)).toBe('invalid');
    expect(verifyWithRing(ring, signedBy('OTHER'), () => '2026-11-01T00:00:00Z')).toBe('invalid');
    expect(
      verifyWithRing(
        { current: null, retired: [] },
        () => true,
        () => null,
      ),
    ).toBe('no-pinned-key');
  });

  it('names the ring, so a cached verdict is checked again when it changes', () => {
    expect(ringId({ current: null, retired: [] })).toBeNull();
    expect(ringId({ current: 'NEW', retired: [] })).toBe('NEW');
    expect(ringId(ring)).not.toBe(ringId({ current: 'NEW', retired: [] }));
  });
});

describe('agents repo: retired keys', () => {
  let db: Db | undefined;
  let dir = '';
  afterEach(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function repo(): AgentsRepo {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-keys-'));
    db = openDatabase(dir);
    db.prepare(
      `INSERT INTO servers (id, name, host, port, user, auth_kind, status, created_at)
       VALUES ('s1', 's1', 'h', 22, 'root', 'key', 'connected', 'x')`,
    ).run();
    return new AgentsRepo(db);
  }
  const agent = (publicKey: string): InstalledAgent => ({
    serverId: 's1',
    version: '1',
    stanza: 'main',
    dataDirectory: '/var/lib/postgresql/15/main',
    scheduler: 'systemd',
    publicKey,
    settings: {},
    installedAt: new Date().toISOString(),
  });

  it('retires the key an uninstall destroyed and the key a reinstall replaced', () => {
    const agents = repo();
    agents.save(agent('K1'));
    agents.save(agent('K1')); // a re-run keeps the key: nothing retired
    expect(agents.retiredKeys('s1')).toEqual([]);
    agents.remove('s1');
    expect(agents.retiredKeys('s1').map((k) => k.publicKey)).toEqual(['K1']);
    agents.save(agent('K2'));
    agents.save(agent('K3'));
    expect(agents.retiredKeys('s1').map((k) => k.publicKey)).toEqual(['K1', 'K2']);
    // A key pinned again is current, not retired.
    agents.save(agent('K1'));
    expect(
      agents
        .retiredKeys('s1')
        .map((k) => k.publicKey)
        .sort(),
    ).toEqual(['K2', 'K3']);
  });
});
