import { describe, expect, it } from 'vitest';
import type { AgentConfig } from '../../shared/agent/config';
import { snapshotsPrefix } from '../../agent/engines/restic';

// The recovery point finds its restic snapshot's full id by listing the snapshot objects in
// the bucket (one request instead of a restic process that derives the key again). The prefix
// comes from the configured repository; any repository elsewhere falls back to restic itself.
function config(repository: string, bucket = 'backups'): AgentConfig {
  return { restic: { repository }, s3: { bucket } } as unknown as AgentConfig;
}

describe('snapshotsPrefix', () => {
  it('names the snapshots folder of a repository in the configured bucket', () => {
    expect(snapshotsPrefix(config('s3:https://s3.example.eu/backups/kumiko/srv-1/restic'))).toBe(
      'kumiko/srv-1/restic/snapshots/',
    );
    expect(snapshotsPrefix(config('s3:https://10.0.0.5:9443/backups/kumiko/a/restic/'))).toBe(
      'kumiko/a/restic/snapshots/',
    );
  });

  it('gives no prefix for a repository in another bucket or not on S3', () => {
    expect(
      snapshotsPrefix(config('s3:https://s3.example.eu/other/kumiko/srv-1/restic')),
    ).toBeNull();
    expect(snapshotsPrefix(config('/var/lib/restic'))).toBeNull();
    expect(snapshotsPrefix(config('s3:https://s3.example.eu/backups'))).toBeNull();
  });
});
