// Draws the home-screen icons of the installed site (www/icons/icon-192.png, icon-512.png): a 5x5 weight
// matrix on the page's accent blue, with the pruned weights faded. Run by hand after changing the design;
// the PNGs are committed (a few KB). Plain RGBA rows, deflated with node's zlib: no image library.
import { deflateSync } from 'node:zlib';
import { mkdir, writeFile } from 'node:fs/promises';

const BLUE = [0x00, 0x72, 0xb2];
const KEPT = [0xff, 0xff, 0xff];
const PRUNED = [0x4d, 0x9c, 0xc9];
// 1 = kept, 0 = pruned: about half of the weights gone, as after a typical run.
const MATRIX = ['10110', '01101', '11010', '00111', '10101'];

/** The icon's RGB at pixel (x, y) of a size x size square; the matrix fills the middle 60% (maskable safe zone). */
function colour(x, y, size) {
  const grid = size * 0.6;
  const origin = (size - grid) / 2;
  const cell = grid / 5;
  const col = Math.floor((x - origin) / cell);
  const row = Math.floor((y - origin) / cell);
  if (row < 0 || row > 4 || col < 0 || col > 4) return BLUE;
  // A gap between the cells, so they read as separate weights.
  const inX = (x - origin) - col * cell;
  const inY = (y - origin) - row * cell;
  const gap = cell * 0.12;
  if (inX < gap || inY < gap || inX > cell - gap || inY > cell - gap) return BLUE;
  return MATRIX[row][col] === '1' ? KEPT : PRUNED;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter, no interlace
  const rows = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    const start = y * (1 + size * 3); // each row starts with filter type 0
    for (let x = 0; x < size; x++) rows.set(colour(x, y, size), start + 1 + x * 3);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const dir = new URL('../www/icons/', import.meta.url);
await mkdir(dir, { recursive: true });
for (const size of [192, 512]) {
  const bytes = png(size);
  await writeFile(new URL(`icon-${size}.png`, dir), bytes);
  console.log(`www/icons/icon-${size}.png: ${bytes.length} bytes`);
}
