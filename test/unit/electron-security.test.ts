import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, Session, WebContents } from 'electron';
import { parse } from 'yaml';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/contract/bridge';
import { ok, type Result } from '../../shared/contract/result';
import { SecretStoreUnavailableError } from '../../electron/services/secrets/secret-store';
import { repoRoot } from '../harness/paths';

// DESIGN.md §7: electron/main and electron/preload are unit-tested with 'electron' mocked.
const electron = vi.hoisted(() => {
  const fn = () => vi.fn();
  return {
    shell: { openExternal: vi.fn(async () => undefined) },
    ipcMain: { handle: fn(), removeHandler: fn() },
    ipcRenderer: { invoke: vi.fn(async () => ({ ok: true, value: 'from-main' })), on: fn() },
    contextBridge: { exposeInMainWorld: fn() },
    protocol: { registerSchemesAsPrivileged: fn(), handle: fn() },
    app: {
      isPackaged: true,
      on: fn(),
      requestSingleInstanceLock: vi.fn(() => true),
      enableSandbox: fn(),
      whenReady: vi.fn(async () => undefined),
      getPath: vi.fn(() => ''),
      getVersion: () => '9.9.9',
      quit: fn(),
      exit: fn(),
    },
    BrowserWindow: Object.assign(
      vi.fn(function (this: Record<string, unknown>, options: unknown) {
        Object.assign(this, {
          options,
          on: vi.fn(),
          once: vi.fn(),
          loadURL: vi.fn(async () => undefined),
          webContents: {},
        });
      }),
      { getAllWindows: vi.fn(() => []) },
    ),
    Menu: { buildFromTemplate: vi.fn((t: unknown) => t), setApplicationMenu: fn() },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: fn(), onBeforeRequest: fn() },
        setPermissionRequestHandler: fn(),
        setPermissionCheckHandler: fn(),
        setDevicePermissionHandler: fn(),
      },
    },
    safeStorage: {
      isEncryptionAvailable: vi.fn(() => true),
      getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
      // Reversible stand-in for OS encryption: XOR, so plaintext never shows in the file.
      encryptString: vi.fn((s: string) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x5a))),
      decryptString: vi.fn((b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString()),
    },
  };
});
vi.mock('electron', () => electron);
const core = vi.hoisted(() => ({
  close: vi.fn(async () => undefined),
  dispatch: vi.fn(),
  onEvent: vi.fn(() => () => {}),
}));
const createAppCore = vi.hoisted(() => vi.fn(async (_options: unknown) => core));
vi.mock('../../electron/ipc/app-core', () => ({ createAppCore }));

const { createWindowOptions } = await import('../../electron/main/window-options');
const security = await import('../../electron/main/security');
const { installIpcBridge } = await import('../../electron/main/ipc-bridge');
const secrets = await import('../../electron/main/safe-storage-secrets');

const ENTRY = 'app://kumiko/index.html';

beforeEach(() => {
  vi.clearAllMocks();
});

describe('window options', () => {
  it('isolates the renderer', () => {
    const options = createWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs' });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
    });
  });
});

function mockSession() {
  return {
    webRequest: { onHeadersReceived: vi.fn(), onBeforeRequest: vi.fn() },
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  };
}
type Handler = (...args: never[]) => unknown;
const handlerOf = (mock: { mock: { calls: unknown[][] } }) => mock.mock.calls[0]?.[0] as Handler;

describe('session hardening', () => {
  it('sets the strict CSP on every response, replacing any the response brought', () => {
    const session = mockSession();
    security.hardenSession(session as unknown as Session);
    const onHeaders = handlerOf(session.webRequest.onHeadersReceived);
    const callback = vi.fn();
    onHeaders(
      { responseHeaders: { 'content-security-policy': ['default-src *'], 'x-a': ['1'] } } as never,
      callback as never,
    );
    const headers = callback.mock.calls[0]?.[0].responseHeaders;
    expect(headers['Content-Security-Policy']).toEqual([
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; " +
        "base-uri 'none'; form-action 'none'",
    ]);
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['x-a']).toEqual(['1']);
  });

  it('cancels remote requests; only the dev server is reachable in development', () => {
    const prod = mockSession();
    security.hardenSession(prod as unknown as Session);
    const cancelled = (session: ReturnType<typeof mockSession>, url: string) => {
      const callback = vi.fn();
      handlerOf(session.webRequest.onBeforeRequest)({ url } as never, callback as never);
      return callback.mock.calls[0]?.[0].cancel as boolean;
    };
    expect(cancelled(prod, 'https://evil.example/x.js')).toBe(true);
    expect(cancelled(prod, 'ws://127.0.0.1:9/')).toBe(true);
    expect(cancelled(prod, `${ENTRY}`)).toBe(false);
    expect(cancelled(prod, 'data:image/png;base64,AA==')).toBe(false);

    const dev = mockSession();
    security.hardenSession(dev as unknown as Session, { devServerUrl: 'http://localhost:5173' });
    expect(cancelled(dev, 'http://localhost:5173/src/main.tsx')).toBe(false);
    expect(cancelled(dev, 'ws://localhost:5173/')).toBe(false);
    expect(cancelled(dev, 'http://localhost:8080/')).toBe(true);
    const callback = vi.fn();
    handlerOf(dev.webRequest.onHeadersReceived)(
      { responseHeaders: {} } as never,
      callback as never,
    );
    const devCsp = callback.mock.calls[0]?.[0].responseHeaders['Content-Security-Policy'][0];
    expect(devCsp).toContain("connect-src 'self' ws://localhost:5173");
    // Vite's dev server needs inline script and style; the built app never gets them.
    expect(devCsp).toContain("style-src 'self' 'unsafe-inline'");
    expect(security.CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('denies every permission request and check', () => {
    const session = mockSession();
    security.hardenSession(session as unknown as Session);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      const callback = vi.fn();
      handlerOf(session.setPermissionRequestHandler)(
        null as never,
        permission as never,
        callback as never,
      );
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(handlerOf(session.setPermissionCheckHandler)()).toBe(false);
    expect(handlerOf(session.setDevicePermissionHandler)()).toBe(false);
  });
});

class FakeContents extends EventEmitter {
  setWindowOpenHandler = vi.fn();
}
const navigationEvent = () => ({ preventDefault: vi.fn() });

describe('web contents hardening', () => {
  let contents: FakeContents;
  beforeEach(() => {
    contents = new FakeContents();
    security.hardenWebContents(contents as unknown as WebContents, ENTRY);
  });

  it('prevents navigation away from the app', () => {
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'http://docs.kumiko.de/']) {
      const event = navigationEvent();
      contents.emit('will-navigate', event, url);
      expect(event.preventDefault, url).toHaveBeenCalled();
    }
    expect(electron.shell.openExternal).not.toHaveBeenCalled();

    const inApp = navigationEvent();
    contents.emit('will-navigate', inApp, `${ENTRY}#/servers`);
    expect(inApp.preventDefault).not.toHaveBeenCalled();
  });

  it('opens allow-listed https docs links in the system browser, never in the app', () => {
    const event = navigationEvent();
    contents.emit('will-navigate', event, 'https://docs.kumiko.de/restore');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://docs.kumiko.de/restore');
  });

  it('prevents redirects away from the app', () => {
    const event = navigationEvent();
    contents.emit('will-redirect', event, 'https://evil.example/');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('denies window.open, handing only allow-listed https URLs to the OS', () => {
    const open = handlerOf(contents.setWindowOpenHandler);
    expect(open({ url: 'https://evil.example/' } as never)).toEqual({ action: 'deny' });
    expect(open({ url: 'http://kumiko.de/' } as never)).toEqual({ action: 'deny' });
    expect(open({ url: 'https://user:pw@docs.kumiko.de/' } as never)).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
    expect(open({ url: 'https://docs.kumiko.de/drills' } as never)).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://docs.kumiko.de/drills');
  });

  it('blocks webviews', () => {
    const event = navigationEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('recognizes the app URL exactly', () => {
    expect(security.isAppUrl(`${ENTRY}?x=1#/a`, ENTRY)).toBe(true);
    // URL.origin is "null" for every app:// URL: another host must still not pass.
    for (const other of [
      'app://evil/index.html',
      'app://kumiko/assets/index.js',
      'app://user@kumiko/index.html',
      'app://kumiko:1/index.html',
      'file:///opt/kumiko/resources/app.asar/dist/renderer/index.html',
    ]) {
      expect(security.isAppUrl(other, ENTRY), other).toBe(false);
    }
    const fileEntry = 'file:///opt/kumiko/resources/app.asar/dist/renderer/index.html';
    expect(security.isAppUrl(`${fileEntry}#/a`, fileEntry)).toBe(true);
    expect(security.isAppUrl('file:///opt/kumiko/other.html', fileEntry)).toBe(false);
    expect(security.isAppUrl('http://localhost:5173/a', 'http://localhost:5173/')).toBe(true);
    expect(security.isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(security.isAppUrl('not a url', ENTRY)).toBe(false);
  });
});

describe('IPC bridge', () => {
  const mainFrame = { url: ENTRY, parent: null, processId: 4, routingId: 1 };
  const webContents = {
    mainFrame,
    isDestroyed: () => false,
    getURL: () => ENTRY,
    send: vi.fn(),
  };
  const window = { isDestroyed: () => false, webContents } as unknown as BrowserWindow;
  type Invoke = (event: unknown, name: unknown, input: unknown) => Promise<Result<unknown>>;
  let invoke: Invoke;
  let dispatch: ReturnType<typeof vi.fn>;
  let emit: (name: string, payload: unknown) => void;
  let unsubscribe: ReturnType<typeof vi.fn>;
  let dispose: () => void;

  beforeEach(() => {
    dispatch = vi.fn(async (name: string) => ok({ name }));
    unsubscribe = vi.fn();
    dispose = installIpcBridge({
      getWindow: () => window,
      entryUrl: ENTRY,
      dispatch: dispatch as never,
      subscribe: (listener) => {
        emit = listener as typeof emit;
        return unsubscribe as () => void;
      },
    });
    const [channel, handler] = electron.ipcMain.handle.mock.calls[0] as unknown as [string, Invoke];
    expect(channel).toBe(IPC_INVOKE_CHANNEL);
    invoke = handler;
  });

  it("dispatches calls from the app's own top frame", async () => {
    const result = await invoke({ sender: webContents, senderFrame: mainFrame }, 'app.info', {});
    expect(result).toEqual({ ok: true, value: { name: 'app.info' } });
    expect(dispatch).toHaveBeenCalledWith('app.info', {});
  });

  it.each([
    ['another window', { sender: { mainFrame }, senderFrame: mainFrame }],
    [
      'a sub-frame',
      { sender: webContents, senderFrame: { ...mainFrame, parent: mainFrame, routingId: 2 } },
    ],
    [
      'a foreign URL in the top frame',
      { sender: webContents, senderFrame: { ...mainFrame, url: 'https://evil.example/' } },
    ],
    ['a destroyed frame', { sender: webContents, senderFrame: null }],
  ])('rejects %s with UNAUTHORIZED', async (_what, event) => {
    const result = await invoke(event, 'servers.list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('answers INTERNAL when dispatch throws, never rejects', async () => {
    dispatch.mockRejectedValueOnce(new Error('secret detail'));
    const result = await invoke(
      { sender: webContents, senderFrame: mainFrame },
      'servers.list',
      {},
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('secret detail');
  });

  it('forwards core events to the window and cleans up', () => {
    emit('job.finished', { id: 'j1' });
    expect(webContents.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, 'job.finished', { id: 'j1' });
    dispose();
    expect(electron.ipcMain.removeHandler).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL);
    expect(unsubscribe).toHaveBeenCalled();
  });
});

describe('preload', () => {
  type Bridge = {
    invoke: (name: string, input: unknown) => Promise<Result<unknown>>;
    on: (event: string, listener: (payload: unknown) => void) => () => void;
  };
  let bridge: Bridge;
  let fromMain: (event: unknown, name: unknown, payload: unknown) => void;

  beforeEach(async () => {
    vi.resetModules();
    await import('../../electron/preload/index');
    const [key, exposed] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as [
      string,
      Bridge,
    ];
    expect(key).toBe('kumiko');
    bridge = exposed;
    const [channel, listener] = electron.ipcRenderer.on.mock.calls[0] as [string, typeof fromMain];
    expect(channel).toBe(IPC_EVENT_CHANNEL);
    fromMain = listener;
  });

  it('exposes only invoke and on, never ipcRenderer', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
    expect(Object.values(bridge)).not.toContain(electron.ipcRenderer);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('rejects unknown command names before anything crosses', async () => {
    for (const name of ['nope', 'constructor', '__proto__', 42]) {
      const result = await bridge.invoke(name as string, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    }
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('forwards known commands over the invoke channel', async () => {
    const result = await bridge.invoke('app.info', {});
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'app.info', {});
    expect(result).toEqual({ ok: true, value: 'from-main' });
  });

  it('subscribes to known events only and unsubscribes', () => {
    expect(() => bridge.on('nope', () => {})).toThrow(/Unknown event/);
    const listener = vi.fn();
    const off = bridge.on('job.finished', listener);
    fromMain({}, 'job.finished', { id: 'j1' });
    fromMain({}, 'not.an.event', { id: 'j2' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ id: 'j1' });
    off();
    fromMain({}, 'job.finished', { id: 'j3' });
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('safeStorage secret store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kumiko-secrets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses the Linux 'basic_text' backend", async () => {
    electron.safeStorage.getSelectedStorageBackend.mockReturnValueOnce('basic_text');
    await expect(secrets.openSafeStorageSecretStore(dir, 'linux')).rejects.toBeInstanceOf(
      SecretStoreUnavailableError,
    );
  });

  it('refuses when OS encryption is unavailable', async () => {
    electron.safeStorage.isEncryptionAvailable.mockReturnValueOnce(false);
    await expect(secrets.openSafeStorageSecretStore(dir, 'win32')).rejects.toThrow(/not available/);
  });

  it('stores each value encrypted, owner-only, and reads it back after a restart', async () => {
    const store = await secrets.openSafeStorageSecretStore(dir, 'linux');
    expect(store.kind).toBe('safeStorage');
    await store.set('server:1:ssh-key', 'PRIVATE KEY material');
    await store.set('s3:1:secret', 'wJalrXUtnFEMI');
    expect(await store.get('server:1:ssh-key')).toBe('PRIVATE KEY material');

    const file = path.join(dir, secrets.SECRETS_FILE);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain('wJalrXUtnFEMI');
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);

    await store.delete('s3:1:secret');
    const reopened = await secrets.openSafeStorageSecretStore(dir, 'linux');
    expect(await reopened.get('server:1:ssh-key')).toBe('PRIVATE KEY material');
    expect(await reopened.get('s3:1:secret')).toBeNull();
  });

  it('only asks for the backend on Linux', async () => {
    await secrets.openSafeStorageSecretStore(dir, 'darwin');
    expect(electron.safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled();
  });

  it('the stand-in store refuses every use with the reason', async () => {
    const store = secrets.unavailableSecretStore('no keyring');
    await expect(store.get('k')).rejects.toThrow('no keyring');
    await expect(store.set('k', 'v')).rejects.toBeInstanceOf(SecretStoreUnavailableError);
  });
});

describe('app lifecycle (electron/main/index.ts)', () => {
  let dir: string;
  const appHandler = (name: string) =>
    electron.app.on.mock.calls.find((c) => c[0] === name)?.[1] as (...args: unknown[]) => void;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kumiko-userdata-'));
    electron.app.getPath.mockReturnValue(dir);
    // Electron sets it for a packaged app: the agent bundle ships in <resources>/agent.
    Object.assign(process, { resourcesPath: path.join(dir, 'resources') });
    vi.resetModules();
  });
  afterEach(async () => {
    delete (process as { resourcesPath?: string }).resourcesPath;
    await rm(dir, { recursive: true, force: true });
  });

  async function start() {
    await import('../../electron/main/index');
    await vi.waitFor(() => expect(electron.BrowserWindow).toHaveBeenCalled());
  }

  it('starts the core, hardens everything and loads the packaged renderer', async () => {
    vi.stubEnv('VITE_DEV_SERVER_URL', 'http://evil.example/'); // ignored when packaged
    await start();
    vi.unstubAllEnvs();
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    expect(appHandler('web-contents-created')).toBeTypeOf('function');
    expect(electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(createAppCore).toHaveBeenCalledWith(
      expect.objectContaining({ dataDir: dir, transport: 'electron', version: '9.9.9' }),
    );
    expect(createAppCore.mock.calls[0]?.[0]).toMatchObject({ secrets: { kind: 'safeStorage' } });
    // Packaged: the agent bundle electron-builder copied beside app.asar (extraResources).
    expect(createAppCore.mock.calls[0]?.[0]).toMatchObject({
      agentBundlePath: path.join(dir, 'resources', 'agent', 'kumiko-agent.cjs'),
    });
    expect(electron.ipcMain.handle).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, expect.any(Function));
    const win = electron.BrowserWindow.mock.instances[0] as unknown as {
      options: { webPreferences: { sandbox: boolean; preload: string } };
      loadURL: ReturnType<typeof vi.fn>;
    };
    expect(win.options.webPreferences.sandbox).toBe(true);
    expect(win.options.webPreferences.preload).toMatch(/preload\.cjs$/);
    expect(win.loadURL.mock.calls[0]?.[0]).toBe('app://kumiko/index.html');
  });

  it('serves the renderer from app:// only, through the tested handler', async () => {
    await start();
    // Registered at load, before 'ready' (whenReady is what starts the core).
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      {
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true, bypassCSP: false }),
      },
    ]);
    expect(electron.protocol.registerSchemesAsPrivileged.mock.invocationCallOrder[0]).toBeLessThan(
      electron.app.whenReady.mock.invocationCallOrder[0] ?? 0,
    );
    const [scheme, handler] = electron.protocol.handle.mock.calls[0] as unknown as [
      string,
      (request: Request) => Promise<Response>,
    ];
    expect(scheme).toBe('app');
    for (const url of [
      'app://../../etc/passwd',
      `app://kumiko/${'..%2F'.repeat(12)}etc%2Fpasswd`,
    ]) {
      const response = await handler(new Request(url));
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('root:');
    }
    const refused = await handler(new Request(ENTRY, { method: 'POST', body: 'x' }));
    expect(refused.status).toBe(405);
    expect(refused.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('packages with the fuses that keep file:// unprivileged and Node out of reach', () => {
    const builder = parse(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as {
      electronFuses: Record<string, boolean>;
    };
    expect(builder.electronFuses).toMatchObject({
      grantFileProtocolExtraPrivileges: false,
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it.runIf(process.platform === 'linux')(
    'hands the core a refusing secret store when safeStorage is basic_text',
    async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      electron.safeStorage.getSelectedStorageBackend.mockReturnValueOnce('basic_text');
      await start();
      expect(createAppCore.mock.calls[0]?.[0]).toMatchObject({ secrets: { kind: 'unavailable' } });
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('basic_text'));
      logged.mockRestore();
    },
  );

  it('drains the core before quitting', async () => {
    let finish!: () => void;
    core.close.mockReturnValueOnce(new Promise<undefined>((r) => (finish = () => r(undefined))));
    await start();
    const beforeQuit = appHandler('before-quit');
    const first = { preventDefault: vi.fn() };
    beforeQuit(first);
    beforeQuit({ preventDefault: vi.fn() }); // a second quit while draining
    expect(first.preventDefault).toHaveBeenCalled();
    expect(core.close).toHaveBeenCalledTimes(1);
    expect(electron.app.quit).not.toHaveBeenCalled();
    finish();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledTimes(1));
    const last = { preventDefault: vi.fn() };
    beforeQuit(last);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });

  it('quits at once when another instance holds the lock', async () => {
    electron.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    await import('../../electron/main/index');
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.app.whenReady).not.toHaveBeenCalled();
    expect(createAppCore).not.toHaveBeenCalled();
  });
});
