import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SYSTEMD_UNIT_NAME, systemdUnit } from '../../shared/agent/systemd-unit';

// The unit as the installer writes it, checked by systemd's own parser (systemd-analyze, from
// the systemd package that .ci/run installs): a misspelt key or value is only a warning to
// systemd, which then runs the agent with its default instead.
describe('agent systemd unit', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-unit-'));
  const bundle = path.join(dir, 'kumiko-agent.cjs');
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(bundle, '');
  fs.writeFileSync(config, '{}');
  const text = systemdUnit(process.execPath, bundle, config);

  it('passes systemd-analyze verify without a warning', async () => {
    const file = path.join(dir, SYSTEMD_UNIT_NAME);
    fs.writeFileSync(file, text);
    const { stdout, stderr } = await promisify(execFile)('systemd-analyze', ['verify', file]);
    expect(`${stdout}${stderr}`).toBe('');
  });

  it('lets the daemon stop its own tools (restic must get SIGINT to remove its lock)', () => {
    const lines = text.split('\n');
    expect(lines).toContain('KillMode=mixed');
    expect(lines).toContain(`ExecStart=${process.execPath} ${bundle} daemon --config ${config}`);
  });
});
