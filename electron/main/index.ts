import {
  app,
  BrowserWindow,
  Menu,
  protocol,
  session,
  type MenuItemConstructorOptions,
} from 'electron';
import path from 'node:path';
import { createAppCore, type AppCore } from '../ipc/app-core';
import type { SecretStore } from '../services/secrets/secret-store';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  appProtocolResponse,
} from '../web/app-protocol';
import { installIpcBridge } from './ipc-bridge';
import { openSafeStorageSecretStore, unavailableSecretStore } from './safe-storage-secrets';
import { hardenSession, hardenWebContents } from './security';
import { createWindowOptions } from './window-options';

// Bundled to dist/electron/main.cjs; the renderer is dist/renderer, served as app://kumiko/
// (electron/web/app-protocol.ts decides every request), the preload sits beside us.
const devServerUrl = app.isPackaged ? undefined : process.env.VITE_DEV_SERVER_URL || undefined;
const entryUrl = devServerUrl ?? APP_ENTRY_URL;
const rendererDir = path.join(__dirname, '..', 'renderer');
const preloadPath = path.join(__dirname, 'preload.cjs');

let core: AppCore | null = null;
let mainWindow: BrowserWindow | null = null;
let shutdown: 'running' | 'closing' | 'closed' = 'running';

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(createWindowOptions({ preloadPath, devTools: !app.isPackaged }));
  win.on('page-title-updated', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(entryUrl);
  return win;
}

function buildMenu(): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: app.isPackaged
        ? [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }]
        : [{ role: 'reload' }, { role: 'toggleDevTools' }, { role: 'resetZoom' }],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}

async function openSecrets(): Promise<SecretStore> {
  try {
    return await openSafeStorageSecretStore(app.getPath('userData'));
  } catch (err) {
    // The app still opens; every command that needs a secret answers SECRET_STORE_UNAVAILABLE.
    const reason = err instanceof Error ? err.message : String(err);
    console.error(`[kumiko] secret store unavailable: ${reason}`);
    return unavailableSecretStore(reason);
  }
}

/** app://kumiko/…: the renderer's files, nothing else (the decisions are in app-protocol.ts). */
function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = await appProtocolResponse(rendererDir, request);
    return new Response(answer.body === null ? null : Buffer.from(answer.body), {
      status: answer.status,
      headers: answer.headers,
    });
  });
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession, { devServerUrl });
  serveRenderer();
  core = await createAppCore({
    dataDir: app.getPath('userData'),
    secrets: await openSecrets(),
    transport: 'electron',
    version: app.getVersion(),
    // Packaged: electron-builder copies dist/agent to <resources>/agent (extraResources), outside
    // app.asar. A checkout uses dist/agent of the repository (the default).
    agentBundlePath: app.isPackaged
      ? path.join(process.resourcesPath, 'agent', 'kumiko-agent.cjs')
      : undefined,
  });
  const appCore = core;
  Menu.setApplicationMenu(buildMenu());
  installIpcBridge({
    getWindow: () => mainWindow,
    entryUrl,
    dispatch: (name, input) => appCore.dispatch(name, input),
    subscribe: (listener) => appCore.onEvent(listener),
  });
  mainWindow = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  // Before 'ready', as Electron requires: a scheme registered later gets no privileges.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, entryUrl));
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core && shutdown === 'running' && BrowserWindow.getAllWindows().length === 0) {
      mainWindow = createWindow();
    }
  });
  // Drain running jobs (they persist their state) before the process goes away.
  app.on('before-quit', (event) => {
    if (shutdown === 'closed' || !core) return;
    event.preventDefault();
    if (shutdown === 'closing') return;
    shutdown = 'closing';
    core
      .close()
      .catch((err: unknown) => console.error('[kumiko] shutdown failed', err))
      .finally(() => {
        shutdown = 'closed';
        app.quit();
      });
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      console.error('[kumiko] failed to start', err);
      app.exit(1);
    });
}
