// Runs a wasm32-wasip1 program under Node (used to measure the wasm kernels; see examples/train_probe.rs).
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';
const wasi = new WASI({ version: 'preview1', args: [process.argv[2]], env: process.env, preopens: {} });
const mod = await WebAssembly.compile(readFileSync(process.argv[2]));
const inst = await WebAssembly.instantiate(mod, wasi.getImportObject());
wasi.start(inst);
