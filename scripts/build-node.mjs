// Bundles the Node-side entry points with esbuild: Electron main + preload, and the agent.
import { existsSync } from 'node:fs';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, format: 'cjs' };
// CJS has no import.meta: give shared/Node code a working import.meta.url.
const importMetaShim = {
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl' },
};

const bundles = [
  {
    ...importMetaShim,
    entryPoints: ['electron/main/index.ts'],
    outfile: 'dist/electron/main.cjs',
    external: ['electron', 'better-sqlite3', 'ssh2', 'cpu-features', 'pg-native'],
  },
  // Sandboxed preload: only 'electron' may stay a require().
  {
    entryPoints: ['electron/preload/index.ts'],
    outfile: 'dist/electron/preload.cjs',
    external: ['electron'],
    minify: true,
  },
];
if (existsSync('agent/index.ts')) {
  bundles.push({
    ...importMetaShim,
    entryPoints: ['agent/index.ts'],
    outfile: 'dist/agent/kumiko-agent.cjs',
  });
}
await Promise.all(bundles.map((options) => build({ ...common, logLevel: 'info', ...options })));
