import path from 'node:path';

// Finds references from a repository file to paths outside the repository (issue 13: a clone
// with nothing beside it must run the demo, the tests and the benches). Pure functions over a
// file's repo-relative path and its text; test/unit/self-contained.test.ts feeds them every
// tracked file.

/** One offending line. */
export interface OutsideRef {
  /** 1-based line number. */
  line: number;
  /** The line, trimmed. */
  text: string;
  /** Which rule caught it. */
  why: string;
}

/** A file, or the lines of a file holding `containing`, that a rule does not apply to. */
export interface Exemption {
  /** Repo-relative, forward slashes. */
  file: string;
  /** `relative` skips the `../` rules only; `all` skips the machine-path rule too. */
  rules: 'relative' | 'all';
  /** Only lines that contain this text; the whole file when absent. */
  containing?: string;
  why: string;
}

/** Every exemption, with its reason. Keep this list short. */
export const EXEMPT: readonly Exemption[] = [
  {
    file: 'test/unit/self-contained.test.ts',
    rules: 'all',
    why: 'its classifier cases are offending lines on purpose',
  },
  {
    file: 'test/unit/layering.test.ts',
    rules: 'relative',
    why:
      'its import snippets are linted as if they lived at other paths (the first element of ' +
      'each case); they resolve from those paths, not from the test',
  },
  // Security tests (docs/security.md): their attack payloads are paths that climb out on
  // purpose (a crafted PG_VERSION) and stand-ins for other users' homes and root's files on a
  // customer's server; nothing in them is read from a developer's machine.
  {
    file: 'test/unit/server-values.test.ts',
    rules: 'all',
    why: 'crafted PG_VERSION values and other users’ data folders are the attacks under test',
  },
  {
    file: 'test/integration/hostile-server-values.test.ts',
    rules: 'relative',
    why: 'writes a PG_VERSION that climbs out of the data folder: the attack under test',
  },
  {
    file: 'test/integration/drill-privilege.test.ts',
    rules: 'all',
    containing: "Root's files outside the drill",
    why: 'a comment naming the root-only server files its stand-ins play',
  },
  {
    file: 'vite.config.ts',
    rules: 'relative',
    containing: "outDir: '../dist/renderer'",
    why: "Vite resolves outDir from its root (renderer/): it is the repository's dist/renderer",
  },
];

/** The folder of a repo-relative file, '' at the root. */
function folderOf(file: string): string {
  const dir = path.posix.dirname(file);
  return dir === '.' ? '' : dir;
}

/** How many folders deep `file` sits (0 for a file at the root). */
function depthOf(file: string): number {
  const dir = folderOf(file);
  return dir === '' ? 0 : dir.split('/').length;
}

/**
 * True when `relative` (a path starting with `../`), resolved from the folder of the
 * repo-relative `file`, lands above the repository root.
 */
export function climbsOutside(file: string, relative: string): boolean {
  const resolved = path.posix.normalize(path.posix.join(folderOf(file), relative));
  return resolved === '..' || resolved.startsWith('../');
}

// A `../` path: after a quote, bracket, `=`, `:`, `,`, whitespace or the line start (so not the
// middle of a URL or of a longer path), up to the next quote, bracket, whitespace or separator.
const RELATIVE = /(?<=^|[\s'"`(=<[,:])(?:\.\.\/)+[^\s'"`()<>[\],;#?]*/g;
const BARE_CLIMB = /^(?:\.\.\/)+$/;
// A '..' argument right after the repository root: path.join(repoRoot, ...) climbing out.
const ROOT_THEN_UP =
  /\b(?:repoRoot|REPO_ROOT|repositoryRoot|projectRoot|rootDir|root)\s*,\s*(['"`])\.\.\1/;
// A '..' argument followed by 'shared': the old way to reach the folder beside the checkout.
const UP_THEN_SHARED = /(['"`])\.\.\1\s*,\s*(['"`])shared\2/;
// The file's own folder followed by '..' arguments: path.join(__dirname, '..', '..').
const OWN_FOLDER_UP =
  /(?:__dirname|import\.meta\.dirname|dirname\(\s*fileURLToPath\(\s*import\.meta\.url\s*\)\s*\))((?:\s*,\s*(['"`])\.\.\2)+)/g;
// Shell: "$(dirname "$0")/../.."
const SCRIPT_FOLDER_UP =
  /dirname\s+"?\$(?:0|\{BASH_SOURCE\[0\]\}|BASH_SOURCE)"?\s*\)"?((?:\/\.\.(?=[/"'\s)]|$))+)/g;

/**
 * Absolute paths of a development machine: a home folder, root's home, or the folder the
 * repository happens to be checked out in here. System paths the product uses (/usr, /etc,
 * /var, /tmp, /opt, /srv) are not matched.
 */
const MACHINE =
  /(?<![\w.~$-])(?:\/work\/|\/root\/|\/home\/[A-Za-z_][\w.-]*(?=[/'"`\s]|$)|\/Users\/[A-Za-z_][\w.-]*(?=[/'"`\s]|$))|\b[A-Za-z]:(?:\\{1,2}|\/)[Uu]sers(?:\\{1,2}|\/)/g;
// The product's own data folder (Electron's userData on Linux) in some user's home: an
// example of where the app keeps its files, not a path on a developer's machine.
const PRODUCT_HOME_PATH = /^\/home\/[A-Za-z_][\w.-]*\/\.config\/kumiko-recovery\//;

/** The development-machine path in `line`, if any. */
export function machinePathIn(line: string): string | undefined {
  for (const m of line.matchAll(MACHINE)) {
    if (PRODUCT_HOME_PATH.test(line.slice(m.index))) continue;
    return m[0];
  }
  return undefined;
}

/** Why `line` of `file` refers above the repository root, if it does. */
export function relativeOutsideIn(file: string, line: string): string | undefined {
  for (const m of line.matchAll(RELATIVE)) {
    // A bare climb ('../', '../../') names a step (prose, startsWith('../') checks), not a place.
    if (BARE_CLIMB.test(m[0])) continue;
    if (climbsOutside(file, m[0])) return `${m[0]} resolves outside the repository`;
  }
  if (ROOT_THEN_UP.test(line)) return "'..' after the repository root";
  if (UP_THEN_SHARED.test(line)) return "'..' then 'shared' reaches beside the repository";
  for (const m of line.matchAll(OWN_FOLDER_UP)) {
    const ups = (m[1] ?? '').split(',').length - 1;
    if (ups > depthOf(file)) return `${ups} x '..' from ${folderOf(file) || 'the root'}`;
  }
  for (const m of line.matchAll(SCRIPT_FOLDER_UP)) {
    const ups = (m[1] ?? '').split('/..').length - 1;
    if (ups > depthOf(file)) return `${ups} x '..' from ${folderOf(file) || 'the root'}`;
  }
  return undefined;
}

/** The widest exemption that covers `line` of `file`. */
function exemptionFor(file: string, line: string): Exemption['rules'] | undefined {
  const rules = EXEMPT.filter(
    (e) => e.file === file && (e.containing === undefined || line.includes(e.containing)),
  ).map((e) => e.rules);
  return rules.includes('all') ? 'all' : rules[0];
}

/** Every line of `text` (the content of repo-relative `file`) that refers outside the repo. */
export function outsidePathsIn(file: string, text: string): OutsideRef[] {
  const refs: OutsideRef[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const exempt = exemptionFor(file, line);
    if (exempt === 'all') return;
    const machine = machinePathIn(line);
    const relative = exempt === 'relative' ? undefined : relativeOutsideIn(file, line);
    const why = machine ? `development machine path ${machine}` : relative;
    if (why) refs.push({ line: i + 1, text: line.trim(), why });
  });
  return refs;
}
