#!/usr/bin/env node
// The `kumiko` command. Runs the TypeScript sources through tsx in a checkout; a packaged
// build ships the bundled dist/cli/kumiko.mjs instead.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundled = fileURLToPath(new URL('../dist/cli/kumiko.mjs', import.meta.url));
// The AWS SDK warns on every start under Node < 22 that future SDK releases will need it; the
// bundled SDK works on Node 20 as it is, and the notice would only bury the CLI's own output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
let main;
if (existsSync(bundled) && !process.env.KUMIKO_FROM_SOURCE) {
  ({ main } = await import(bundled));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../electron/cli/main.ts'));
}
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`error: ${err?.code ? `${err.code}: ` : ''}${err?.message ?? err}\n`);
    process.exit(err?.code === 'INVALID_INPUT' ? 2 : 1);
  },
);
