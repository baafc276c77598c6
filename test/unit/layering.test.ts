import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// Lints synthetic snippets "as if" they lived at a given path, with the repo's eslint.config.js,
// to prove the DESIGN.md §3 import rules catch what they should and nothing else.
const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;

// The first lint loads the config and its plugins (seconds on a busy machine): done here, so
// the 5 s limit of each test measures one snippet, not ESLint's start.
beforeAll(async () => {
  eslint = new ESLint({ cwd: root });
  await eslint.lintText('export {};\n', { filePath: path.join(root, 'shared/warm-up.ts') });
}, 120_000);

async function lint(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  if (!result) throw new Error('no lint result');
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal, `parse error in snippet for ${file}`).toEqual([]);
  return result.messages;
}

async function restricted(file: string, code: string): Promise<string[]> {
  const messages = await lint(file, code);
  return messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering: forbidden imports are errors', () => {
  it.each([
    // renderer imports shared only
    [
      'renderer/features/servers/ServerList.tsx',
      "import { x } from '../../../electron/services/ssh/client';",
    ],
    [
      'renderer/features/servers/ServerList.tsx',
      "import type { AppCore } from '../../../electron/ipc/app-core';",
    ],
    ['renderer/lib/api.ts', "import { ipcRenderer } from 'electron';"],
    ['renderer/lib/api.ts', "import fs from 'node:fs';"],
    ['renderer/lib/api.ts', "import fs from 'fs';"],
    ['renderer/lib/api.ts', "import { readFile } from 'fs/promises';"],
    ['renderer/lib/api.ts', "import { Pool } from 'pg';"],
    ['renderer/lib/api.ts', "import '../../agent/index';"],
    ['renderer/main.tsx', "import '../test/harness/postgres';"],
    // shared imports nothing of ours outside shared, and no Node built-ins
    ['shared/contract/commands.ts', "import { readFileSync } from 'node:fs';"],
    ['shared/contract/commands.ts', "import { createHash } from 'crypto';"],
    ['shared/contract/commands.ts', "import { dispatch } from '../../electron/ipc/router';"],
    ['shared/contract/commands.ts', "export * from '../../renderer/lib/api';"],
    ['shared/index.ts', "import '../agent/index';"],
    ['shared/index.ts', "import { app } from 'electron';"],
    // agent imports shared only
    ['agent/index.ts', "import { Client } from '../electron/services/ssh/client';"],
    ['agent/commands/snapshot.ts', "import '../../renderer/lib/api';"],
    ['agent/index.ts', "import { app } from 'electron';"],
    // the Node-only layer both run imports shared only; the app never imports the agent
    ['node/signing.ts', "import '../agent/index';"],
    ['node/report/write-bundle.ts', "import '../../agent/drill/report';"],
    ['node/report/write-bundle.ts', "import '../../electron/services/reports/reports-service';"],
    ['node/signing.ts', "import { app } from 'electron';"],
    ['electron/services/reports/verify-path.ts', "import '../../../agent/report/x';"],
    ['electron/services/signing/ed25519.ts', "export * from '../../../agent/signing';"],
    ['electron/cli/main.ts', "import '../../agent/index';"],
    ['electron/main/index.ts', "import '../../agent/index';"],
    // plain-Node electron code never imports 'electron', electron/main or electron/preload
    ['electron/services/ssh/client.ts', "import { app } from 'electron';"],
    ['electron/services/ssh/client.ts', "import { safeStorage } from 'electron/main';"],
    ['electron/services/ssh/client.ts', "import '../../main/index';"],
    ['electron/services/ssh/client.ts', "import '../../../electron/preload/index';"],
    ['electron/jobs/runner.ts', "import { BrowserWindow } from 'electron';"],
    ['electron/jobs/runner.ts', "import { createWindowOptions } from '../main/window-options';"],
    ['electron/ipc/router.ts', "import { ipcMain } from 'electron';"],
    ['electron/ipc/router.ts', "import '../preload/index';"],
    ['electron/web/server.ts', "import { app } from 'electron';"],
    ['electron/cli/main.ts', "import { app } from 'electron';"],
    ['electron/cli/commands/serve.ts', "import '../../main/security';"],
    // services never import ipc, web or cli
    ['electron/services/ssh/client.ts', "import { dispatch } from '../../ipc/router';"],
    ['electron/services/ssh/client.ts', "import '../../web/server';"],
    ['electron/services/ssh/client.ts', "import '../../cli/main';"],
    ['electron/services/app-error.ts', "import '../ipc/router';"],
    ['electron/services/ssh/client.ts', "export { x } from '../../../electron/ipc/router';"],
    ['electron/ipc/router.ts', "import '../../renderer/lib/api';"],
    // the sandboxed preload: shared only, no Node built-ins
    ['electron/preload/index.ts', "import fs from 'node:fs';"],
    ['electron/preload/index.ts', "import '../services/secrets/secret-store';"],
    ['electron/preload/index.ts', "import '../ipc/router';"],
    // only electron/main and electron/preload may import 'electron', anywhere
    ['scripts/release.mjs', "import { app } from 'electron';"],
    ['bench/run.ts', "import { app } from 'electron';"],
    ['electron/services/ssh/client.ts', "import '../../../../outside-the-repo';"],
  ])('%s: %s', async (file, code) => {
    const errors = await restricted(file, code);
    expect(errors).toHaveLength(1);
  });

  it('explains the rule in the message', async () => {
    const [message] = await restricted(
      'renderer/features/servers/ServerList.tsx',
      "import { x } from '../../../electron/services/ssh/client';",
    );
    expect(message).toMatch(/renderer\/ may import only from renderer\/ and shared\//);
  });
});

describe('layering: allowed imports pass', () => {
  it.each([
    [
      'renderer/features/servers/ServerList.tsx',
      "import { commands } from '../../../shared/contract';",
    ],
    [
      'renderer/features/servers/ServerList.tsx',
      "import { create } from 'zustand';\nimport { useState } from 'react';",
    ],
    // a renderer folder that happens to be called "agent" is still the renderer
    [
      'renderer/features/servers/ServerList.tsx',
      "import { AgentBadge } from '../agent/AgentBadge';",
    ],
    ['renderer/components/Button.tsx', "import { fmt } from '../lib/format';"],
    ['shared/contract/commands.ts', "import { z } from 'zod';\nimport { Id } from './domain';"],
    ['shared/contract/commands.ts', "import { plan } from '../gfs/planner';"],
    ['agent/index.ts', "import { commands } from '../shared/contract';\nimport fs from 'node:fs';"],
    [
      'agent/commands/snapshot.ts',
      "import { Client } from 'pg';\nimport { x } from '../../shared/manifest';",
    ],
    [
      'electron/services/ssh/client.ts',
      "import { Client } from 'ssh2';\nimport fs from 'node:fs';",
    ],
    [
      'agent/drill/report.ts',
      "import { buildReportBundle } from '../../node/report/write-bundle';",
    ],
    ['electron/services/reports/verify-path.ts', "import '../../../node/report/node-crypto';"],
    [
      'node/report/write-bundle.ts',
      "import fs from 'node:fs/promises';\nimport PDFDocument from 'pdfkit';\nimport '../../shared/report/keys';\nimport '../signing';",
    ],
    [
      'electron/services/ssh/client.ts',
      "import type { SecretStore } from '../secrets/secret-store';",
    ],
    ['electron/services/ssh/client.ts', "import { ok } from '../../../shared/contract';"],
    ['electron/services/ssh/client.ts', "import { EventBus } from '../events/event-bus';"],
    [
      'electron/ipc/app-core.ts',
      "import { JobRunner } from '../jobs/runner';\nimport '../services/store/database';",
    ],
    ['electron/cli/main.ts', "import { createAppCore } from '../ipc/app-core';\nimport './paths';"],
    ['electron/web/server.ts', "import { WebSocketServer } from 'ws';\nimport '../ipc/app-core';"],
    [
      'electron/main/index.ts',
      "import { app } from 'electron';\nimport { createAppCore } from '../ipc/app-core';",
    ],
    [
      'electron/preload/index.ts',
      "import { contextBridge } from 'electron';\nimport '../../shared/contract/bridge';",
    ],
    [
      'test/unit/some.test.ts',
      "import { app } from 'electron';\nimport '../../electron/main/security';",
    ],
  ])('%s: %s', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});

describe('max-lines', () => {
  it('warns past 400 lines of code, not counting blank lines and comments', async () => {
    const code = (n: number) => Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`);
    const long = await lint('electron/services/x.ts', code(401).join('\n'));
    expect(long.filter((m) => m.ruleId === 'max-lines').map((m) => m.severity)).toEqual([1]);

    const padded = [...code(400), ...Array(100).fill(''), ...Array(100).fill('// note')].join('\n');
    const ok = await lint('electron/services/x.ts', padded);
    expect(ok.filter((m) => m.ruleId === 'max-lines')).toEqual([]);
  });
});
