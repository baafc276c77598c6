// Renders resources/icon.svg into every icon file electron-builder.yml names:
//   resources/icon.png            1024×1024 (the master; electron-builder's fallback)
//   resources/icons/NxN.png       Linux (16, 32, 48, 64, 128, 256, 512)
//   resources/icon.ico            Windows: 16, 24, 32, 48, 64, 128 as 32-bit BMP, 256 as PNG
//   resources/icon.icns           macOS: icp4, icp5, ic07..ic14 (16..1024, PNG entries)
// Run it by hand after changing the SVG (`node scripts/make-icons.mjs`) and commit the output:
// packaging reads the committed files, so a fresh clone packages without Chromium.
//
// Why hand-written: on npm, icon-gen (ICO + ICNS) needs sharp, a native module, and
// png-to-ico writes ICO only, scaling every size down from one PNG. ICO and ICNS are small
// container formats (a directory of images), and each size here is drawn from the vector
// source by Chromium, so the small sizes get the SVG's own simplified style instead of a
// downscale. The headless Chromium is Debian's /usr/bin/chromium through playwright-core,
// which the tests already use. The ICO's small sizes are BMPs, as Windows' own icons have them:
// PNG entries below 256 px are not read by every tool on the way (NSIS, resource editors).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resources = path.join(root, 'resources');

const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// ICNS entry types and their pixel sizes (ic10..ic14 are the @2x "retina" variants).
const ICNS_ENTRIES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['ic12', 64],
  ['ic07', 128],
  ['ic13', 256],
  ['ic08', 256],
  ['ic14', 512],
  ['ic09', 512],
  ['ic10', 1024],
];
/** Up to these sizes the SVG's `small` and `tiny` styles apply (fewer, thicker slats). */
const SMALL_MAX = 64;
const TINY_MAX = 32;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The root's class for a size: the SVG's CSS draws fewer, thicker slats for small sizes. */
function variant(size) {
  if (size <= TINY_MAX) return 'class="small tiny" ';
  return size <= SMALL_MAX ? 'class="small" ' : '';
}

/** PNG bytes of the icon at `size`×`size`, transparent outside the tile. */
async function render(page, svg, size) {
  const svgRoot = /<svg ([^>]*?)width="1024" height="1024"/;
  if (!svgRoot.test(svg))
    throw new Error('resources/icon.svg: expected width="1024" height="1024"');
  const sized = svg.replace(svgRoot, `<svg ${variant(size)}$1width="${size}" height="${size}"`);
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`,
  );
  const svgBox = await page.locator('svg').boundingBox();
  if (!svgBox || svgBox.width !== size || svgBox.height !== size) {
    throw new Error(`rendered SVG is not ${size}×${size}`);
  }
  return page.screenshot({
    omitBackground: true,
    clip: { x: 0, y: 0, width: size, height: size },
  });
}

/** Decodes an 8-bit RGBA, non-interlaced PNG (what Chromium writes) to its pixels. */
function decodeRgba(png) {
  if (png.readUInt32BE(12) !== 0x49484452) throw new Error('PNG without IHDR first');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const [depth, colorType, , , interlace] = png.subarray(24, 29);
  if (depth !== 8 || colorType !== 6 || interlace !== 0) {
    throw new Error(`unexpected PNG format (depth ${depth}, color type ${colorType})`);
  }
  const idat = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? out[x - 4] : 0;
      const b = up[x];
      const c = x >= 4 ? up[x - 4] : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`PNG filter ${filter}`);
      out[x] = (line[x] + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

/** An ICO image entry as a 32-bit BGRA DIB (bottom-up) with its 1-bit AND mask. */
function icoBitmap(png) {
  const { width, height, pixels } = decodeRgba(png);
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(width, 4);
  header.writeInt32LE(height * 2, 8); // XOR image + AND mask
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const xor = Buffer.alloc(width * height * 4);
  const maskStride = Math.ceil(width / 32) * 4;
  const mask = Buffer.alloc(maskStride * height);
  for (let y = 0; y < height; y++) {
    const row = height - 1 - y;
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 4;
      const to = (row * width + x) * 4;
      xor[to] = pixels[from + 2];
      xor[to + 1] = pixels[from + 1];
      xor[to + 2] = pixels[from];
      xor[to + 3] = pixels[from + 3];
      if (pixels[from + 3] === 0) mask[row * maskStride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, xor, mask]);
}

/** ICO: 6-byte header, a 16-byte directory entry per image, then the images. */
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2); // type 1 = icon
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, data } of images) {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size; // 0 means 256
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    entries.push(entry);
    offset += data.length;
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

/** ICNS: 'icns' + total length, then per entry its type, length (incl. 8-byte head), data. */
function icns(entries) {
  const chunks = entries.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

const svg = await readFile(path.join(resources, 'icon.svg'), 'utf8');
const sizes = [...new Set([1024, ...LINUX_SIZES, ...ICO_SIZES, ...ICNS_ENTRIES.map((e) => e[1])])];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const pngs = new Map();
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const size of sizes.sort((a, b) => a - b)) pngs.set(size, await render(page, svg, size));
} finally {
  await browser.close();
}

await mkdir(path.join(resources, 'icons'), { recursive: true });
await writeFile(path.join(resources, 'icon.png'), pngs.get(1024));
for (const size of LINUX_SIZES) {
  await writeFile(path.join(resources, 'icons', `${size}x${size}.png`), pngs.get(size));
}
await writeFile(
  path.join(resources, 'icon.ico'),
  ico(
    ICO_SIZES.map((size) => ({
      size,
      data: size >= 256 ? pngs.get(size) : icoBitmap(pngs.get(size)),
    })),
  ),
);
await writeFile(
  path.join(resources, 'icon.icns'),
  icns(ICNS_ENTRIES.map(([type, size]) => ({ type, data: pngs.get(size) }))),
);
console.log(`wrote resources/icon.{png,ico,icns} and resources/icons/ (${LINUX_SIZES.join(', ')})`);
