import os from 'node:os';
import { osUser } from './os-user';
import type { ProcessOptions } from './process-types';

/** cwd, env and uid/gid for spawn(), following `runAs` when set. */
export function spawnSettings(options: ProcessOptions): {
  cwd: string;
  env: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
} {
  const env = { ...(options.env ?? process.env) };
  if (options.runAs === undefined) return { cwd: options.cwd ?? process.cwd(), env };
  const user = osUser(options.runAs);
  env.HOME = user.home;
  env.USER = user.name;
  env.LOGNAME = user.name;
  // The caller's cwd (e.g. a root-only folder) may not be readable by that user.
  return { cwd: options.cwd ?? os.tmpdir(), env, uid: user.uid, gid: user.gid };
}

/** A command line for error messages. */
export function describeCommand(command: string, args: readonly string[]): string {
  return [command, ...args].join(' ');
}
