import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../harness';
import { AGENT_BUNDLE, buildAgentBundle } from '../harness/agent-env';

// The built agent bundle refuses an unsupported Node.js before anything else runs. No old Node
// binary is installed here, so a --require hook makes this Node report another version in
// process.versions, the value the agent reads: the refusal must come before the config is read
// (the path given does not exist) and before the bundle's dependencies load.

let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-agent-node-'));
  await buildAgentBundle();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the bundle as if on Node `version` (or this Node when null). */
async function agentOn(version: string | null, args: string[]) {
  const hook = path.join(dir, `as-${version ?? 'self'}.cjs`);
  fs.writeFileSync(
    hook,
    version === null
      ? ''
      : `Object.defineProperty(process, 'versions', { value: { ...process.versions, node: ${JSON.stringify(version)} } });\n`,
  );
  return runCommand(process.execPath, ['--require', hook, AGENT_BUNDLE, ...args], {
    check: false,
    name: `kumiko-agent on Node ${version ?? process.versions.node}`,
    timeoutMs: 30_000,
  });
}

describe('the agent on an unsupported Node.js', () => {
  it.each(['18.20.4', '21.7.3', '16.20.2'])(
    'refuses to start on %s, saying what to do',
    async (v) => {
      const missing = path.join(dir, 'no-such-config.json');
      const run = await agentOn(v, ['status', '--config', missing]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `kumiko-agent: Node.js ${v} is not supported: the agent runs only on a Node.js LTS ` +
          'release, version 20 or newer with an even major version (Node.js 18 reached end of ' +
          'life in April 2025). Reinstall the agent from the Kumiko Recovery app, which uploads a ' +
          'supported Node.js runtime for it, or install a supported Node.js on this server.\n',
      );
    },
  );

  it('starts on this Node (the pinned runtime’s major) and on a newer LTS', async () => {
    for (const version of [null, '24.1.0']) {
      const run = await agentOn(version, ['version']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    }
  });
});
