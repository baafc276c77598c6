// Bundles the Node-side entry points with esbuild: Electron main + preload, and the agent.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * pdfkit reads its standard fonts' metrics (`data/*.afm`) and its sRGB profile from
 * `__dirname` at run time. In a bundle `__dirname` is the bundle's own folder, and the agent's
 * installer uploads the bundle alone, so the reads are turned into imports that esbuild inlines
 * (the .afm files as text, the profile as bytes). If a pdfkit upgrade changes those lines, the
 * build fails here instead of the first report on a customer's server.
 */
const inlinePdfkitData = {
  name: 'inline-pdfkit-data',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]pdfkit[\\/]js[\\/]pdfkit(\.es)?\.js$/ }, async (args) => {
      let fonts = 0;
      let profiles = 0;
      const contents = (await readFile(args.path, 'utf8'))
        .replace(
          /fs\.readFileSync\(__dirname \+ '\/data\/([A-Za-z-]+\.afm)', 'utf8'\)/g,
          (_, file) => {
            fonts += 1;
            return `require('./data/${file}')`;
          },
        )
        .replace(
          /fs\.readFileSync\(`\$\{__dirname\}\/data\/(sRGB_IEC61966_2_1\.icc)`\)/g,
          (_, file) => {
            profiles += 1;
            return `Buffer.from(require('./data/${file}'))`;
          },
        );
      if (fonts !== 14 || profiles !== 1 || /__dirname/.test(contents)) {
        throw new Error(
          `pdfkit reads files differently than expected (${fonts} fonts, ${profiles} profiles inlined): update scripts/build-node.mjs`,
        );
      }
      return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/**
 * The agent's reports use the 14 standard PDF fonts (Helvetica, Courier: metrics inlined above),
 * so pdfkit never calls fontkit, which it needs only to embed a font file. fontkit and what it
 * pulls in (brotli's dictionary for WOFF2 alone is 1.4 MB) were a third of the agent bundle,
 * and every agent command paid for parsing them at start (the daily snapshot's time counts
 * against plain pgBackRest). Embedding a font file in the agent fails loudly instead.
 */
const withoutFontkit = {
  name: 'without-fontkit',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^fontkit$/ }, () => ({ path: 'fontkit', namespace: 'stub' }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        'exports.create = () => { throw new Error("the agent bundle has no fontkit: its PDFs use the standard fonts only"); };',
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  format: 'cjs',
  plugins: [inlinePdfkitData],
  loader: { '.afm': 'text', '.icc': 'binary' },
};
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
    plugins: [inlinePdfkitData, withoutFontkit],
    // The oldest Node.js the agent runs on (MIN_NODE_MAJOR in shared/agent/node-support.ts).
    target: 'node22',
    // pg's optional native binding: never loaded (the smoke checks use the JavaScript client).
    external: ['pg-native'],
  });
}
await Promise.all(bundles.map((options) => build({ ...common, logLevel: 'info', ...options })));
