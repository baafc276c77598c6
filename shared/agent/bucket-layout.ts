/**
 * Where things live in the bucket, declared once for app and agent. Everything of one
 * server sits under `kumiko/<serverId>/`, so the bucket describes itself: the app can rebuild
 * the catalog from S3 alone.
 *
 *   kumiko/<id>/pgbackrest/…                      pgBackRest repository (repo1-path)
 *   kumiko/<id>/restic/…                          restic repository of the attached files
 *   kumiko/<id>/manifests/<label>.json            recovery-point manifest
 *   kumiko/<id>/manifests/<label>.json.sig        its SSHSIG signature (namespace kumiko-manifest)
 *   kumiko/<id>/heartbeat.json                    latest agent heartbeat (state visible from S3 alone)
 *   kumiko/<id>/agent.pub                         the agent's public key (OpenSSH format)
 *   kumiko/<id>/drills/<drillId>/…                drill report bundles (issue 5)
 *   kumiko/<id>/gdpr/…                            the GDPR erasure ledger
 *   kumiko/<id>/gdpr-final/<erasureId>.json       the agent's signed mark: no retained point predates it
 *   kumiko/<id>/.probe/<uuid>                     bucket-protection test objects (issue 15 §3): deleted
 *                                                 at once; a refused version delete or Object Lock
 *                                                 keeps a hidden 16-byte version
 */
export const bucketLayout = {
  prefix: (serverId: string) => `kumiko/${serverId}/`,
  pgbackrestPath: (serverId: string) => `/kumiko/${serverId}/pgbackrest`,
  resticPath: (serverId: string) => `kumiko/${serverId}/restic`,
  manifest: (serverId: string, label: string) => `kumiko/${serverId}/manifests/${label}.json`,
  manifestSignature: (serverId: string, label: string) =>
    `kumiko/${serverId}/manifests/${label}.json.sig`,
  manifestsPrefix: (serverId: string) => `kumiko/${serverId}/manifests/`,
  heartbeat: (serverId: string) => `kumiko/${serverId}/heartbeat.json`,
  agentPublicKey: (serverId: string) => `kumiko/${serverId}/agent.pub`,
  /** pgBackRest's objects, as S3 keys: `<this>archive/<stanza>/…`, `<this>backup/<stanza>/…`. */
  pgbackrestPrefix: (serverId: string) => `kumiko/${serverId}/pgbackrest/`,
  drillsPrefix: (serverId: string) => `kumiko/${serverId}/drills/`,
  gdprPrefix: (serverId: string) => `kumiko/${serverId}/gdpr/`,
  /** Beside the ledger, not in it: a replay reads every object under gdprPrefix as an entry. */
  gdprFinalPrefix: (serverId: string) => `kumiko/${serverId}/gdpr-final/`,
} as const;

/** SSHSIG namespaces: a signature made for one purpose never verifies for another. */
export const SIGNATURE_NAMESPACES = {
  manifest: 'kumiko-manifest',
  report: 'kumiko-report',
} as const;
