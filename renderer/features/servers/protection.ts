import type { Server } from '../../../shared/contract/domain';

/**
 * Whether backups are set up on a server: the agent protects one of its clusters (it writes
 * to a storage target saved before install). Without that there is nothing to restore, drill
 * or take a point of, and the server is "not protected", never "unknown".
 */
export function backupSetUp(server: Pick<Server, 'protectedDataDirectory'>): boolean {
  return server.protectedDataDirectory !== null;
}
