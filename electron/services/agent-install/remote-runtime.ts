import path from 'node:path';
import { AppError } from '../app-error';
import { resolveRuntimeTarball, type RuntimeSources } from '../node-runtime/resolve-runtime';
import {
  discardRuntimePack,
  packPayload,
  runtimePack,
  type RuntimePack,
} from '../node-runtime/runtime-pack';
import {
  NODE_RUNTIME_VERSION,
  runtimeArch,
  runtimeMarker,
  type RuntimeArch,
} from '../node-runtime/runtime-pin';
import type { RemoteLayout } from './layout';
import { shq, type RemoteShell } from './remote-shell';
import type { UndoStack } from './undo-stack';

/** What {@link ensureRemoteRuntime} did. */
export interface RemoteRuntime {
  nodePath: string;
  arch: RuntimeArch;
  /** False when the same runtime was already on the server (a re-install). */
  uploaded: boolean;
  /** Size of the compressed runtime, whether uploaded or not. */
  tarballBytes: number;
}

/**
 * Makes `<libDir>/runtime/bin/node` the pinned Node.js for this server: skips the upload when
 * the marker file names the same tarball and that node runs; otherwise sends bin/node and the
 * licence in pieces (runtime-pack.ts), which the server unpacks while the next one arrives,
 * checks each against its pinned sha256, runs `node --version` (an old glibc fails here,
 * clearly, before anything else changed) and swaps the folder in. A runtime that was not there
 * before is removed again by `undo`.
 * @throws AppError AGENT_INSTALL_FAILED with the reason (architecture, checksum, start).
 */
export async function ensureRemoteRuntime(
  shell: RemoteShell,
  layout: RemoteLayout,
  unameMachine: string,
  sources: RuntimeSources,
  undo: UndoStack,
  signal: AbortSignal,
  options: {
    /** The caller made `layout.libDir` already (root's, traversable): one round trip less. */
    folderReady?: boolean;
    /** Told when the pieces are on the wire (the connection is free for other uploads). */
    onUploaded?: () => void;
    /** The output of {@link runtimeCheckScript}, when the caller ran it in a script of its own. */
    checked?: string;
  } = {},
): Promise<RemoteRuntime> {
  const arch = runtimeArch(unameMachine);
  // The pack (verified tarball, pieces ready) and asking the server what it has do not depend
  // on each other.
  const verified = resolveRuntimeTarball(arch, sources, signal);
  const [pack, tarball, state] = await Promise.all([
    verified.then((t) => runtimePack(t, sources)),
    verified,
    options.checked !== undefined
      ? { stdout: options.checked }
      : shell.run('check Node runtime', runtimeCheckScript(layout), { signal }),
  ]);
  const marker = runtimeMarker(arch, tarball.sha256);
  const result = { nodePath: layout.bundledNodePath, arch, tarballBytes: tarball.size };
  const facts = new Map(
    state.stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]),
  );
  if (facts.get('marker') === marker && facts.get('version') === `v${NODE_RUNTIME_VERSION}`) {
    return { ...result, uploaded: false };
  }
  if (facts.get('dir') !== 'yes') {
    // Pushed before the upload, so a cancel mid-upload leaves nothing behind either.
    undo.push('remove the Node runtime', () => removeRemoteRuntime(shell, layout));
  }
  if (!options.folderReady) {
    await shell.run('create agent program folder', runtimeFolderScript(layout), { signal });
  }
  try {
    // ~46 MB of pieces through the exec channel's stdin; SSH's window does the flow control.
    await shell.runWithInput(
      'upload Node runtime',
      runtimeInstallScript(layout, pack, marker),
      await packPayload(pack),
      { signal, onInputSent: options.onUploaded },
    );
  } catch (err) {
    // A piece the server refused: the next attempt makes the pack again from the tarball.
    if (err instanceof AppError && /differs from the pinned/.test(err.message)) {
      await discardRuntimePack(pack).catch(() => undefined);
    }
    throw err;
  }
  return { ...result, uploaded: true };
}

/** Removes the uploaded runtime (and the agent folder if nothing else is in it). */
export async function removeRemoteRuntime(shell: RemoteShell, layout: RemoteLayout): Promise<void> {
  const dir = shq(layout.runtimeDir);
  await shell.run(
    'remove Node runtime',
    [
      `rm -rf ${dir} ${shq(`${layout.runtimeDir}.new`)} ${shq(`${layout.runtimeDir}.old`)}`,
      `rm -rf ${shq(runtimePartsPath(layout))}`,
      `rmdir ${shq(layout.libDir)} 2>/dev/null || true`,
    ].join('\n'),
  );
}

/** Reads what runtime the server has (the marker and `node --version`), changes nothing. */
export function runtimeCheckScript(layout: RemoteLayout): string {
  return [
    'set +e',
    `echo "dir=$([ -d ${shq(layout.runtimeDir)} ] && echo yes || echo no)"`,
    `echo "marker=$(cat ${shq(layout.runtimeMarkerPath)} 2>/dev/null)"`,
    `echo "version=$(${shq(layout.bundledNodePath)} --version 2>/dev/null)"`,
  ].join('\n');
}

/** Makes the root-owned folder the runtime goes into. */
export function runtimeFolderScript(layout: RemoteLayout): string {
  return `mkdir -p ${shq(layout.libDir)}\nchmod 755 ${shq(layout.libDir)}`;
}

/** Where the pieces of the runtime land before they are checked and put together. */
export function runtimePartsPath(layout: RemoteLayout): string {
  return `${layout.libDir}/runtime-upload.parts`;
}

/**
 * Reads the pieces off stdin one after another (`head -c` takes exactly each one's size) and
 * unpacks each in the background while the next arrives, its sha256 read back from the page
 * cache (cheaper than hashing through a pipe: the CI machine's two cores carry SSH too). Once
 * all are in, every piece's sha256 must be its pin; then bin/node is put together in a folder
 * nothing runs from, tried and swapped in. A damaged or short upload leaves nothing behind and
 * the runtime that was there as it was.
 */
export function runtimeInstallScript(layout: RemoteLayout, pack: RuntimePack, marker: string) {
  const dir = layout.runtimeDir;
  const next = shq(`${dir}.new`);
  const old = shq(`${dir}.old`);
  const parts = shq(runtimePartsPath(layout));
  const node = shq(`${dir}.new/bin/node`);
  const cleanUp = `rm -rf ${parts} ${next}`;
  const nodePieces = pack.pieces.filter((p) => p.name !== 'license');
  return [
    'set -e',
    cleanUp,
    `mkdir -m 700 ${parts}`,
    'piece() {',
    `  head -c "$2" > ${parts}/"$1".gz`,
    `  if [ "$(wc -c < ${parts}/"$1".gz)" -ne "$2" ]; then wait; ${cleanUp}; echo "the upload of the Node.js runtime ended early" >&2; exit 1; fi`,
    `  { gzip -dc ${parts}/"$1".gz > ${parts}/"$1" 2>/dev/null; rm -f ${parts}/"$1".gz; sha256sum ${parts}/"$1" > ${parts}/"$1".sum; } &`,
    '}',
    ...pack.pieces.map((p) => `piece ${shq(p.name)} ${p.gzBytes}`),
    'wait',
    'ok=yes',
    ...pack.pieces.map(
      (p) => `[ "$(cut -c1-64 ${parts}/${shq(p.name)}.sum)" = ${shq(p.sha256)} ] || ok=no`,
    ),
    'if [ "$ok" != yes ]; then',
    `  ${cleanUp}`,
    '  echo "the uploaded Node.js runtime is damaged (a piece differs from the pinned sha256)" >&2',
    '  exit 1',
    'fi',
    `mkdir -p ${shq(`${dir}.new/bin`)}`,
    `cat ${nodePieces.map((p) => `${parts}/${shq(p.name)}`).join(' ')} > ${node}`,
    `if [ "$(wc -c < ${node})" -ne ${pack.nodeBytes} ]; then ${cleanUp}; echo "the uploaded Node.js runtime has the wrong size" >&2; exit 1; fi`,
    `chmod 755 ${node}`,
    `mv ${parts}/license ${shq(`${dir}.new/LICENSE`)}`,
    `chmod 644 ${shq(`${dir}.new/LICENSE`)}`,
    `rm -rf ${parts}`,
    `if ! v=$(${node} --version 2>&1); then`,
    `  rm -rf ${next}`,
    `  case "$v" in *GLIBC*) hint=" (Node.js ${NODE_RUNTIME_VERSION.split('.')[0]} needs glibc 2.28 or newer: Debian 10, Ubuntu 20.04, RHEL 8 or later)";; *) hint="";; esac`,
    '  echo "the uploaded Node.js runtime does not start on this server$hint: $v" >&2',
    '  exit 1',
    'fi',
    `if [ "$v" != ${shq(`v${NODE_RUNTIME_VERSION}`)} ]; then rm -rf ${next}; echo "the uploaded runtime reports $v" >&2; exit 1; fi`,
    `printf '%s\\n' ${shq(marker)} > ${shq(`${dir}.new/${path.posix.basename(layout.runtimeMarkerPath)}`)}`,
    // Swap whole folders: a running agent keeps its (unlinked) binary until it restarts.
    `rm -rf ${old}`,
    `if [ -d ${shq(dir)} ]; then mv ${shq(dir)} ${old}; fi`,
    `mv ${next} ${shq(dir)}`,
    `rm -rf ${old}`,
  ].join('\n');
}
