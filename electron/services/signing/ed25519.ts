// Ed25519 + SSHSIG for the app (countersigning reports, verifying the agent's manifests and
// reports against its pinned key). The agent may not import electron/, but the app may import
// the agent's plain-Node module, so the crypto calls exist once, in agent/signing.ts; the
// format lives in shared/sshsig.
export * from '../../../agent/signing';
