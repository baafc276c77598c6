import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveRuntimeTarball, type RuntimeSources } from '../node-runtime/resolve-runtime';
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
 * the marker file names the same tarball and that node runs; otherwise uploads the verified
 * .tgz over SSH, checks its sha256 there, extracts only `bin/node` and the licence, runs
 * `node --version` (an old glibc fails here, clearly, before anything else changed) and swaps
 * the folder in. A runtime that was not there before is removed again by `undo`.
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
    /** Told when the tarball is on the server (the connection is free for other uploads). */
    onUploaded?: () => void;
  } = {},
): Promise<RemoteRuntime> {
  const arch = runtimeArch(unameMachine);
  // Verifying the tarball here (~0.4 s of hashing) and asking the server what it has do not
  // depend on each other.
  const [tarball, state] = await Promise.all([
    resolveRuntimeTarball(arch, sources, signal),
    shell.run('check Node runtime', runtimeCheckScript(layout), { signal }),
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
  const upload = runtimeUploadPath(layout);
  if (!options.folderReady) {
    await shell.run('create agent program folder', runtimeFolderScript(layout), { signal });
  }
  // ~53 MB through the exec channel's stdin; SSH's window does the flow control.
  await shell.upload('upload Node runtime', upload, await fs.readFile(tarball.path), '600', signal);
  options.onUploaded?.();
  await shell.run('install Node runtime', installScript(layout, upload, tarball.sha256, marker), {
    signal,
  });
  return { ...result, uploaded: true };
}

/** Removes the uploaded runtime (and the agent folder if nothing else is in it). */
export async function removeRemoteRuntime(shell: RemoteShell, layout: RemoteLayout): Promise<void> {
  const dir = shq(layout.runtimeDir);
  await shell.run(
    'remove Node runtime',
    [
      `rm -rf ${dir} ${shq(`${layout.runtimeDir}.new`)} ${shq(`${layout.runtimeDir}.old`)}`,
      `rm -f ${shq(`${layout.libDir}/runtime-upload.tgz`)} ${shq(`${layout.libDir}/runtime-upload.tgz.kumiko-tmp`)}`,
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

/** Where the runtime's tarball is uploaded before it is checked and unpacked. */
export function runtimeUploadPath(layout: RemoteLayout): string {
  return `${layout.libDir}/runtime-upload.tgz`;
}

/**
 * Checks the uploaded tarball's sha256, unpacks `bin/node`, tries it, swaps it in. The check
 * runs beside the unpacking (into a folder nothing runs from) and is waited for before the
 * unpacked node is run or used: a damaged upload is deleted with what came out of it.
 */
export function installScript(
  layout: RemoteLayout,
  upload: string,
  sha256: string,
  marker: string,
) {
  const dir = layout.runtimeDir;
  const next = shq(`${dir}.new`);
  const old = shq(`${dir}.old`);
  const tgz = shq(upload);
  return [
    `echo ${shq(`${sha256}  ${upload}`)} | sha256sum -c --status & sum=$!`,
    `rm -rf ${next}`,
    `mkdir -p ${next}`,
    // Only what runs: the headers and docs in the package are half its size unpacked. Both
    // come first in npm's tarball, so GNU tar stops reading there (--occurrence); a tar
    // without that option unpacks them from the whole stream.
    `members="package/bin/node package/LICENSE"`,
    `tar -xzf ${tgz} -C ${next} --strip-components=1 --no-same-owner --occurrence=1 $members 2>/dev/null || tar -xzf ${tgz} -C ${next} --strip-components=1 --no-same-owner $members || untar=failed`,
    `if ! wait $sum; then`,
    `  rm -f ${tgz}`,
    `  rm -rf ${next}`,
    '  echo "the uploaded Node.js runtime is damaged (sha256 differs from the app\'s copy)" >&2',
    '  exit 1',
    'fi',
    `rm -f ${tgz}`,
    `if [ -n "\${untar:-}" ]; then rm -rf ${next}; echo "the uploaded Node.js runtime could not be unpacked" >&2; exit 1; fi`,
    `if ! v=$(${shq(`${dir}.new/bin/node`)} --version 2>&1); then`,
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
