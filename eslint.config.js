// ESLint flat config. Kept fast: no type-aware rules.
//
// Layering (DESIGN.md §3) is enforced with `no-restricted-imports` regex patterns. A relative
// import only names a folder once you know how deep the importing file sits, so each layer gets
// one config object per directory depth (files: 'renderer/*/*.tsx', ...) whose patterns say
// exactly which `../` climbs leave the layer. Flat config replaces (never merges) a rule's
// options when two objects set it for one file, so every object carries its layer's full list.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const EXT = '{ts,tsx,mts,cts,js,mjs,cjs,jsx}';
const CODE = [`**/*.${EXT}`];
const under = (dir) => [`${dir}/**/*.${EXT}`];
const MAX_DEPTH = 12;

const nodeBuiltins = [...new Set(builtinModules.map((m) => m.split('/')[0]))];
const rule = (regex, message) => ({ regex, caseSensitive: true, message });
const ELECTRON = rule(
  '^electron(/.*)?$',
  "Only electron/main and electron/preload may import 'electron' (DESIGN.md §3).",
);
const NODE_BUILTINS = rule(
  `^(node:.*|(${nodeBuiltins.filter((m) => !m.startsWith('_')).join('|')})(/.*)?)$`,
  'No Node built-ins in this layer: it runs in the browser or the sandbox (DESIGN.md §3).',
);
const NODE_ONLY = rule(
  '^(better-sqlite3|pg|pg-native|ssh2|cpu-features|ws|pdfkit|@aws-sdk/.*)(/.*)?$',
  'No Node-only packages in code that runs in the browser (DESIGN.md §3).',
);

/**
 * Layers: `allow` lists the only folders a relative import may reach (everything else is
 * refused); `forbid` lists folders it must not reach. `packages` are refused bare specifiers.
 */
const layers = [
  { root: 'shared', allow: ['shared'], packages: [ELECTRON, NODE_BUILTINS, NODE_ONLY] },
  {
    root: 'renderer',
    allow: ['renderer', 'shared'],
    packages: [ELECTRON, NODE_BUILTINS, NODE_ONLY],
  },
  // Node-only code the app and the agent both run (signing, report bundles, verify crypto).
  { root: 'node', allow: ['node', 'shared'], packages: [ELECTRON] },
  { root: 'agent', allow: ['agent', 'node', 'shared'], packages: [ELECTRON] },
  { root: 'electron/preload', allow: ['electron/preload', 'shared'], packages: [NODE_BUILTINS] },
  // The app reaches the agent's code only as the uploaded bundle, never by import.
  { root: 'electron/main', forbid: ['renderer', 'agent'], packages: [] },
  ...['ipc', 'jobs', 'web', 'cli'].map((dir) => ({
    root: `electron/${dir}`,
    forbid: ['electron/main', 'electron/preload', 'renderer', 'agent'],
    packages: [ELECTRON],
  })),
  {
    root: 'electron/services',
    forbid: [
      'electron/main',
      'electron/preload',
      'electron/ipc',
      'electron/web',
      'electron/cli',
      'renderer',
      'agent',
    ],
    packages: [ELECTRON],
  },
];

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const segs = (p) => p.split('/');
const startsWith = (path, prefix) => prefix.every((s, i) => path[i] === s);
// Exactly k leading '../' (not k+1).
const climb = (k) => `^(\\.\\./){${k}}(?!\\.\\./)`;

/** The regexes that catch a relative import leaving `layer`, for a file `depth` dirs deep. */
function relativePatterns(layer, depth) {
  const root = segs(layer.root);
  const message = layer.allow
    ? `${layer.root}/ may import only from ${layer.allow.map((a) => `${a}/`).join(' and ')} (DESIGN.md §3).`
    : `${layer.root}/ must not import ${layer.forbid.map((f) => `${f}/`).join(', ')} (DESIGN.md §3).`;
  const out = [rule(`^(\\.\\./){${depth + 1},}`, 'Relative import escapes the repository.')];
  // Climbing to level j (0 = repo root) lands in root[0..j]; deeper levels stay in the layer.
  for (let j = 0; j < root.length; j++) {
    const at = root.slice(0, j);
    const rests = (layer.allow ?? layer.forbid)
      .map(segs)
      .filter((t) => t.length > j && startsWith(t, at))
      .map((t) => esc(t.slice(j).join('/')));
    const k = depth - j;
    if (layer.allow) {
      out.push(rule(rests.length ? `${climb(k)}(?!(${rests.join('|')})(/|$))` : climb(k), message));
    } else if (rests.length) {
      out.push(rule(`${climb(k)}(${rests.join('|')})(/|$)`, message));
    }
  }
  return out;
}

const layerConfigs = layers.flatMap((layer) => {
  const rootDepth = segs(layer.root).length;
  const configs = [];
  for (let depth = rootDepth; depth <= MAX_DEPTH; depth++) {
    const patterns = [...layer.packages, ...relativePatterns(layer, depth)];
    configs.push({
      name: `kumiko/layering/${layer.root}/depth-${depth}`,
      files: [`${layer.root}/${'*/'.repeat(depth - rootDepth)}*.${EXT}`],
      rules: { 'no-restricted-imports': ['error', { patterns }] },
    });
  }
  return configs;
});

export default defineConfig(
  {
    name: 'kumiko/ignores',
    ignores: [
      'dist/',
      'release/',
      'node_modules/',
      'test-results/',
      'bench/results/',
      'coverage/',
      'patches/',
      '.vite/',
      '.kumiko-demo/',
    ],
  },
  { files: CODE, ...js.configs.recommended },
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: c.files ?? CODE })),
  {
    name: 'kumiko/base',
    files: CODE,
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // Outside the layers below (scripts, bench, bin, root configs): still no 'electron'.
      'no-restricted-imports': ['error', { patterns: [ELECTRON] }],
    },
  },
  {
    name: 'kumiko/browser-globals',
    files: [...under('renderer'), ...under('electron/preload')],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    name: 'kumiko/renderer/react-hooks',
    files: under('renderer'),
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  ...layerConfigs,
  {
    // Tests mock 'electron' and reach into every layer on purpose.
    name: 'kumiko/tests',
    files: under('test'),
    rules: { 'no-restricted-imports': 'off', 'max-lines': 'off' },
  },
);
