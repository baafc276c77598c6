import { execFileSync } from 'node:child_process';

/** Numeric identity of an OS account, as needed by spawn({ uid, gid }) and chown. */
export interface OsUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

const cache = new Map<string, OsUser>();

/**
 * Looks up an OS account through getent (so NSS sources count, not only /etc/passwd).
 * @throws Error when the account does not exist.
 */
export function osUser(name: string): OsUser {
  const cached = cache.get(name);
  if (cached) return cached;
  let line: string;
  try {
    line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`OS user "${name}" does not exist (getent passwd ${name} failed)`);
  }
  const fields = line.split(':');
  const user: OsUser = {
    name,
    uid: Number(fields[2]),
    gid: Number(fields[3]),
    home: fields[5] ?? '/',
  };
  if (!Number.isInteger(user.uid) || !Number.isInteger(user.gid)) {
    throw new Error(`Unexpected getent output for ${name}: ${line}`);
  }
  cache.set(name, user);
  return user;
}
