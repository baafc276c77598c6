import os from 'node:os';

/**
 * The OS account the app runs as: on an admin's laptop, the admin. Recorded beside a recovery
 * kit's acknowledgement and as who started a job.
 */
export function appOsUser(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    // No passwd entry for the uid (containers): the uid is still someone.
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}
