import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openVault } from '../../electron/services/secrets/vault';

describe('passphrase vault', () => {
  const file = () =>
    path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-vault-')), 'secrets.vault');

  it('round-trips secrets and never stores them in clear', async () => {
    const vaultFile = file();
    const vault = await openVault(vaultFile, 'correct horse battery');
    await vault.set('server:1:ssh-private-key', 'PRIVATE-KEY-MATERIAL-123');
    expect(await vault.get('server:1:ssh-private-key')).toBe('PRIVATE-KEY-MATERIAL-123');
    const onDisk = fs.readFileSync(vaultFile, 'utf8');
    expect(onDisk).not.toContain('PRIVATE-KEY-MATERIAL-123');
    expect(onDisk).not.toContain('correct horse battery');
    expect(fs.statSync(vaultFile).mode & 0o777).toBe(0o600);

    const reopened = await openVault(vaultFile, 'correct horse battery');
    expect(await reopened.get('server:1:ssh-private-key')).toBe('PRIVATE-KEY-MATERIAL-123');
    await reopened.delete('server:1:ssh-private-key');
    expect(await reopened.get('server:1:ssh-private-key')).toBeNull();
  });

  it('refuses a wrong passphrase with SECRET_STORE_LOCKED', async () => {
    const vaultFile = file();
    await (await openVault(vaultFile, 'first passphrase')).set('k', 'v');
    await expect(openVault(vaultFile, 'other passphrase')).rejects.toMatchObject({
      code: 'SECRET_STORE_LOCKED',
    });
  });

  it('detects a tampered entry instead of returning garbage', async () => {
    const vaultFile = file();
    await (await openVault(vaultFile, 'first passphrase')).set('k', 'value');
    const parsed = JSON.parse(fs.readFileSync(vaultFile, 'utf8'));
    const data = Buffer.from(parsed.entries.k.data, 'base64');
    data[0] = (data[0] ?? 0) ^ 1;
    parsed.entries.k.data = data.toString('base64');
    fs.writeFileSync(vaultFile, JSON.stringify(parsed));
    const vault = await openVault(vaultFile, 'first passphrase');
    await expect(vault.get('k')).rejects.toThrow();
  });
});
