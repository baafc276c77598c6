import type { BrowserWindowConstructorOptions } from 'electron';

export const APP_TITLE = 'Kumiko Recovery';

export interface WindowOptionsInput {
  /** Absolute path of the bundled preload (dist/electron/preload.cjs). */
  preloadPath: string;
  /** DevTools only in development builds. */
  devTools?: boolean;
}

/**
 * The one place BrowserWindow options are decided (DESIGN.md §6). Pure, so the security
 * settings are unit-tested without Electron.
 */
export function createWindowOptions({
  preloadPath,
  devTools = false,
}: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: APP_TITLE,
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 640,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools,
    },
  };
}
