import { shq } from '../agent-install/remote-shell';

/**
 * Shell scripts (run as root through the installer's RemoteShell, `set -e`, script on stdin)
 * that run a long agent command (`kumiko-agent drill`, `restore`) on the server detached from
 * the SSH session: it goes on if the link drops (a drill's report still lands in the bucket),
 * and a cancel reaches it as a plain SIGTERM to its PID, which the agent answers by removing
 * what it made. A private run folder (mode 700, under the agent's state dir) holds its PID,
 * stdout, stderr and exit code.
 */

/** How the agent is started: its Node, bundle and config on the server. */
export interface AgentCommand {
  node: string;
  bundle: string;
  config: string;
  /** The agent's state dir; run folders go below it. */
  stateDir: string;
}

/**
 * Starts `kumiko-agent <args…> --config <config>` in a new session and prints the run folder
 * once its PID is known. `args` are the command and its options (e.g. `['drill',
 * '--progress']`); each reaches the agent as one argument, never re-parsed by a shell.
 */
export function startScript(
  agent: AgentCommand,
  args: readonly string[] = ['drill', '--progress'],
): string {
  const runs = `${agent.stateDir}/app-runs`;
  // The inner sh waits for the agent and records its exit status atomically. Its own arguments
  // arrive as $1..$4 (node, bundle, config, run folder), the agent's after a shift.
  const inner =
    'n="$1"; b="$2"; c="$3"; d="$4"; shift 4; ' +
    '"$n" "$b" "$@" --config "$c" >"$d/stdout" 2>"$d/stderr" </dev/null & ' +
    'echo $! >"$d/pid"; wait $!; echo $? >"$d/exit.tmp"; mv "$d/exit.tmp" "$d/exit"';
  return [
    'umask 077',
    `mkdir -p ${shq(runs)}`,
    `d=$(mktemp -d ${shq(`${runs}/run.XXXXXXXX`)})`,
    `setsid sh -c ${shq(inner)} kumiko-run ${shq(agent.node)} ${shq(agent.bundle)} ${shq(agent.config)} "$d" ${args.map(shq).join(' ')} </dev/null >/dev/null 2>&1 &`,
    // Checked every 20 ms: the PID is there within a few, and every restore waits for it.
    'for i in $(seq 1 500); do [ -s "$d/pid" ] && break; sleep 0.02; done',
    `[ -s "$d/pid" ] || { echo "the agent's ${args[0] ?? 'command'} did not start" >&2; exit 1; }`,
    'echo "$d"',
  ].join('\n');
}

/** Separates a finished command's stderr from its stdout in a poll's answer. */
export const STDOUT_MARKER = '@@KUMIKO_STDOUT@@';

/** How often a held poll looks at the run folder on the server. */
const POLL_TICK_MS = 50;

/**
 * One poll: a status line (`exit=<code>`, `running` or `gone`), then stderr from byte
 * `offset` on. The status is read before stderr, so after `exit=` the output is complete; a
 * finished command's stdout follows a marker line and its run folder is removed in the same
 * round trip (a restore's time ends when the app has its result, not one more SSH exec later).
 *
 * The poll is held on the server until the command exits, or its stderr grew and `paceMs`
 * passed, or `holdMs` passed: the end is seen within one tick of it (a poll every `paceMs`
 * from the app saw it half a pace late on average, at every agent run of a restore), and a
 * quiet command costs one round trip per `holdMs`, not one per pace.
 */
export function pollScript(runDir: string, offset: number, paceMs = 250, holdMs = 2000): string {
  const d = shq(runDir);
  const from = Math.max(0, Math.floor(offset));
  const ticks = (ms: number) => Math.max(1, Math.ceil(ms / POLL_TICK_MS));
  return [
    `d=${d}`,
    'i=0',
    `while [ $i -lt ${ticks(holdMs)} ] && [ ! -s "$d/exit" ]; do`,
    `  if [ $i -ge ${ticks(paceMs)} ] && [ "$(wc -c < "$d/stderr" 2>/dev/null || echo 0)" -gt ${from} ]; then break; fi`,
    `  sleep ${POLL_TICK_MS / 1000}; i=$((i+1))`,
    'done',
    'if [ -s "$d/exit" ]; then status="exit=$(cat "$d/exit")";',
    'elif kill -0 "$(cat "$d/pid")" 2>/dev/null; then status=running;',
    'else status=gone; fi',
    'echo "$status"',
    `tail -c +${from + 1} "$d/stderr" 2>/dev/null || true`,
    'case "$status" in exit=*)',
    `  printf '\n%s\n' ${shq(STDOUT_MARKER)}; cat "$d/stdout" 2>/dev/null || true; rm -rf "$d";;`,
    'esac',
  ].join('\n');
}

/** The command's stdout (its result JSON). */
export function stdoutScript(runDir: string): string {
  return `cat ${shq(`${runDir}/stdout`)} 2>/dev/null || true`;
}

/**
 * SIGTERM to the agent, then wait (up to `waitSeconds`) until it has exited: it removes the
 * throwaway cluster and folders before it does. Prints `stopped` or `still-running`.
 */
export function stopScript(runDir: string, waitSeconds: number): string {
  const d = shq(runDir);
  return [
    `d=${d}`,
    'p=$(cat "$d/pid" 2>/dev/null || true)',
    '[ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true',
    `for i in $(seq 1 ${Math.max(1, Math.round(waitSeconds * 10))}); do`,
    '  [ -s "$d/exit" ] && break',
    '  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || break',
    '  sleep 0.1',
    'done',
    'if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then echo still-running; else echo stopped; fi',
  ].join('\n');
}

/** Removes the run folder. */
export function removeScript(runDir: string): string {
  return `rm -rf ${shq(runDir)}`;
}

/** A parsed poll answer. */
export interface PollAnswer {
  status: { kind: 'exit'; code: number } | { kind: 'running' } | { kind: 'gone' };
  /** Complete stderr lines since the offset. */
  lines: string[];
  /** Bytes of stderr consumed (a trailing partial line is left for the next poll, unless exited). */
  consumed: number;
  /** A finished command's stdout (the run folder is gone after that poll); null otherwise. */
  stdout: string | null;
}

/** Parses a poll's output. */
export function parsePoll(output: string): PollAnswer {
  const newline = output.indexOf('\n');
  const head = (newline < 0 ? output : output.slice(0, newline)).trim();
  let rest = newline < 0 ? '' : output.slice(newline + 1);
  const exit = /^exit=(\d+)$/.exec(head);
  const status: PollAnswer['status'] = exit
    ? { kind: 'exit', code: Number(exit[1]) }
    : head === 'running'
      ? { kind: 'running' }
      : { kind: 'gone' };
  let stdout: string | null = null;
  const marker = `\n${STDOUT_MARKER}\n`;
  const at = status.kind === 'exit' ? rest.lastIndexOf(marker) : -1;
  if (at >= 0) {
    stdout = rest.slice(at + marker.length);
    rest = rest.slice(0, at);
  }
  // After the exit the file is complete, so a last line without a newline counts too.
  const end = status.kind === 'exit' ? rest.length - 1 : rest.lastIndexOf('\n');
  const complete = end < 0 ? '' : rest.slice(0, end + 1);
  const lines = complete === '' ? [] : complete.replace(/\n$/, '').split('\n');
  return { status, lines, consumed: Buffer.byteLength(complete, 'utf8'), stdout };
}
