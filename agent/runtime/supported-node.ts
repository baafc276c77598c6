import { unsupportedNodeMessage } from '../../shared/agent/node-support';
import { EXIT } from './errors';

// Imported first by agent/index.ts, for this side effect: it runs before any dependency of the
// bundle loads (ES modules evaluate in import order, and esbuild keeps that order), so an
// unsupported Node.js gets this sentence rather than a crash inside the AWS SDK or pg.
const refusal = unsupportedNodeMessage(process.versions.node);
if (refusal !== null) {
  process.stderr.write(`kumiko-agent: ${refusal}\n`);
  process.exit(EXIT.failed);
}
