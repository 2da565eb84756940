// Reads an .npz (a zip of .npy arrays) in node, independently of the core's own reader, so a test
// can compare what the page shows with the weights the page exported; also any zip's entries and a
// PNG's size (the "All charts" download). Little-endian float32 arrays
// only (what PruneLab writes); zip entries stored or deflated.
import { inflateRawSync } from 'node:zlib';

/**
 * @param {Buffer} zip
 * @returns {Map<string, { shape: number[], data: Float32Array }>} arrays by name (without `.npy`)
 */
export function readNpz(zip) {
  const arrays = new Map();
  for (const [name, body] of readZip(zip)) arrays.set(name.replace(/\.npy$/, ''), readNpy(name, body));
  return arrays;
}

/**
 * Every entry of a zip file, by name, in archive order.
 * @param {Buffer} zip
 * @returns {Map<string, Buffer>}
 */
export function readZip(zip) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip file: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let entry = zip.readUInt32LE(end + 16);
  const files = new Map();
  for (let i = 0; i < count; i += 1) {
    if (zip.readUInt32LE(entry) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
    const method = zip.readUInt16LE(entry + 10);
    const compressedSize = zip.readUInt32LE(entry + 20);
    const nameLength = zip.readUInt16LE(entry + 28);
    const extraLength = zip.readUInt16LE(entry + 30);
    const commentLength = zip.readUInt16LE(entry + 32);
    const local = zip.readUInt32LE(entry + 42);
    const name = zip.toString('utf8', entry + 46, entry + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const stored = zip.subarray(start, start + compressedSize);
    const body = method === 0 ? stored : method === 8 ? inflateRawSync(stored) : null;
    if (!body) throw new Error(`${name}: zip method ${method} is neither stored nor deflated`);
    files.set(name, body);
    entry += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

/**
 * A PNG's size from its header, or an error if the bytes are not a PNG.
 * @param {Buffer} png
 * @returns {{ width: number, height: number }}
 */
export function pngSize(png) {
  if (!png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('not a PNG: bad signature');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: no IHDR chunk first');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * @param {string} name
 * @param {Buffer} npy
 */
function readNpy(name, npy) {
  if (npy.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${name}: not an .npy array`);
  const version = npy[6];
  const headerLength = version === 1 ? npy.readUInt16LE(8) : npy.readUInt32LE(8);
  const headerStart = version === 1 ? 10 : 12;
  const header = npy.toString('latin1', headerStart, headerStart + headerLength);
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header)) {
    throw new Error(`${name}: expected little-endian float32 in C order, header ${header.trim()}`);
  }
  const shape = [...header.match(/'shape':\s*\(([^)]*)\)/)[1].matchAll(/\d+/g)].map(Number);
  const bytes = npy.subarray(headerStart + headerLength);
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const expected = shape.reduce((a, b) => a * b, 1);
  if (data.length !== expected) throw new Error(`${name}: ${data.length} values for shape (${shape})`);
  return { shape, data };
}
