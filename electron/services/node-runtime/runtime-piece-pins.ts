import type { RuntimeArch } from './runtime-pin';

/**
 * The pinned runtime's `bin/node` travels to a server in pieces of this many bytes, each
 * compressed on its own, so the server unpacks one piece while the next is on the wire
 * (runtime-pack.ts). Changing it changes every pin below.
 */
export const RUNTIME_PIECE_BYTES = 16 * 1024 * 1024;

/** sha256 (hex) of each raw piece of `package/bin/node`, and of `package/LICENSE`. */
export interface RuntimePiecePins {
  nodeBytes: number;
  node: readonly string[];
  license: string;
}

/**
 * What the server checks each unpacked piece against, pinned like the tarballs' integrity in
 * runtime-pin.ts: a piece that differs (a damaged upload, a pack changed in the app's cache)
 * is refused there before anything runs it. Printed for a new NODE_RUNTIME_VERSION by
 * `node scripts/pin-runtime-pieces.mjs <x64 .tgz> <arm64 .tgz>`; a unit test compares the x64
 * pins with the tarball the tests use.
 */
export const RUNTIME_PIECE_PINS: Readonly<Record<RuntimeArch, RuntimePiecePins>> = {
  x64: {
    nodeBytes: 126891984,
    node: [
      '74723f28b82e4049ca3a96621caeee14ab660fa0aea82b6ff32c83838708cf33',
      'e610c9dd4800bb80b25601a7fc5e6a7e76a3f48a3f4ef2f7c95cd26ef16719c1',
      'd4cc0e892364845ae79b569725a8fdd63cfe9488e39c609150b62546a48ddd2e',
      '749a1f6f8033f21bb8fabed29bd96ada786179f799f6e6d7045e7dfc92ddedf3',
      'efeaea123f68f745e88b266df7987eccdc676e3a59f6f8323a36ce718d0197a0',
      '029bc8fff3a75d25774f3ed7008140c91b8a9b4fdfd51b43503277cbdccabc55',
      '4a19b21e9f34485d8aa5a7867b6d7329cba947974fa6c629a32b494ec45ebfab',
      'bf6c33e0626ebea4d8f9de89057c8f34d76159b25dcf1ff55328b1af5e2ba5db',
    ],
    license: '5888dbb9a1d2b18f2c3e6c5f6af1b39de658372b402a0577b002777f14c62ace',
  },
  arm64: {
    nodeBytes: 123446736,
    node: [
      '1161b312c2aad37cfa33433974709841cad7adc57d9b2035d312065b3c5b685c',
      'af4529095289415da0fd2b4fed2f89d23871f2f97451917a8412b05b80283dae',
      '902a04c36d3419f6cd8f61f182548542221eb448d35a8f5ffdd8eeaff9e233e7',
      'ba4fe21c9b1ed53bbbd5058eb66ff2872e1fa508a19691805a81b8cd53267940',
      '5c515b56c0999dc2bf880754d47f17c26c2d81bec083deca074ddf30d18cbf03',
      '80ff7cd4ddbf83b7a0bd4bdce5b23c3590bf66f5141adc3579988c3f17fc4f06',
      'c13a5cfee005150e1c4dafd1c958dedfcef054d573add94fe0cb697e5cce2f91',
      'af4618262a3edfc19309f9e03c264d6de79458507bd13dbf79b125ca022548f1',
    ],
    license: '5888dbb9a1d2b18f2c3e6c5f6af1b39de658372b402a0577b002777f14c62ace',
  },
};
