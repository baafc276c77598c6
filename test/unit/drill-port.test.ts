import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { FIRST_DRILL_PORT, pickDrillPort } from '../../agent/drill/scratch-env';

// Two scratch clusters set up at the same moment (a drill beside a scratch restore, or test
// files side by side) must not both find the same "first free" port: the second PostgreSQL
// then fails with "could not create any TCP/IP sockets" (seen in the clean-clone CI).

describe('pickDrillPort', () => {
  it('does not hand every caller the same port when the range is free', async () => {
    // One after the other, as two agents pick before either PostgreSQL binds: each probe finds
    // the port free again once the one before it let go.
    const ports: number[] = [];
    for (let i = 0; i < 12; i++) ports.push(await pickDrillPort(0));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(FIRST_DRILL_PORT);
      expect(port).toBeLessThanOrEqual(55_999);
    }
    expect(new Set(ports).size).toBeGreaterThan(1);
  });

  it('refuses a configured port that is in use, naming it', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await expect(pickDrillPort(port)).rejects.toThrow(`drill.port ${port} is in use`);
    } finally {
      server.close();
    }
  });
});
