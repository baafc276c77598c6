import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * What a finished demo setup leaves for the next run: the ports its services answer on (the
 * saved server, storage target and agent config name them), the vault passphrase of its app
 * store, and the agent bundle it installed. A later run reuses all of it when the ports are
 * free and the bundle is unchanged; otherwise it starts afresh.
 *
 * The passphrase is written in clear (mode 0600) on purpose: the demo's vault guards only the
 * demo's own generated keys, and a reusable demo needs it. A real install never does this.
 */
export const DemoState = z
  .object({
    version: z.literal(1),
    ports: z.object({
      postgres: z.number().int().positive(),
      spare: z.number().int().positive(),
      sshd: z.number().int().positive(),
      s3: z.number().int().positive(),
    }),
    vaultPassphrase: z.string().min(16),
    serverId: z.string().uuid(),
    agentBundleSha256: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: z.string().datetime(),
  })
  .strict();
export type DemoState = z.infer<typeof DemoState>;

const FILE = 'demo-state.json';

/** The saved state, or null when there is none or it cannot be trusted (then: start afresh). */
export function readDemoState(root: string): DemoState | null {
  try {
    const parsed = DemoState.safeParse(JSON.parse(fs.readFileSync(path.join(root, FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written last, once every step of a setup succeeded: a half-done setup is never reused. */
export function writeDemoState(root: string, state: DemoState): void {
  const file = path.join(root, FILE);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}
