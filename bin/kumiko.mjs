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
// main() prints every failure itself; this catches only what escapes it (a broken install),
// still as one JSON object on stdout with --json.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    const error = { code: 'INTERNAL', message: `Unexpected error: ${err?.message ?? err}.` };
    if (process.argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ ok: false, error }, null, 2)}\n`);
    } else process.stderr.write(`error ${error.code}: ${error.message}\n`);
    process.exit(1);
  },
);
