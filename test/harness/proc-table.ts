import fs from 'node:fs';

// Reads Linux /proc directly: the harness needs "which PIDs belong to this server" in a
// synchronous process 'exit' hook, where spawning `ps` is not possible.

interface ProcEntry {
  pid: number;
  ppid: number;
}

function readEntries(): ProcEntry[] {
  const entries: ProcEntry[] = [];
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return entries;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      entries.push({ pid: Number(name), ppid: Number(rest[1]) });
    } catch {
      // The process exited while we were reading: skip it.
    }
  }
  return entries;
}

/** All PIDs below `pid` in the process tree (children, grandchildren, ...), leaves last. */
export function descendantsOf(pid: number): number[] {
  const entries = readEntries();
  const byParent = new Map<number, number[]>();
  for (const e of entries) {
    const list = byParent.get(e.ppid) ?? [];
    list.push(e.pid);
    byParent.set(e.ppid, list);
  }
  const result: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift() as number;
    for (const child of byParent.get(current) ?? []) {
      if (!result.includes(child)) {
        result.push(child);
        queue.push(child);
      }
    }
  }
  return result;
}

/**
 * PIDs whose command line contains `needle` as one argument or part of one. Used to find
 * daemons that left our process tree, e.g. pgBackRest's async archive-push worker, by the
 * unique config path of one test.
 */
export function pidsWithArgument(needle: string): number[] {
  const found: number[] = [];
  for (const { pid } of readEntries()) {
    if (pid === process.pid) continue;
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.some((arg) => arg.includes(needle))) found.push(pid);
    } catch {
      // Gone already.
    }
  }
  return found;
}

/** True while a process with this PID exists (and is not a zombie we could reap). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
