// The TensorFlow.js side of the peer benchmark (classic Web Worker; TF.js 4.22.0 from bench/peers/node_modules).
//
// Measured: training samples/s of the reference network (1×28×28 → conv 5×5×8 → ReLU → max-pool 2 → conv 5×5×16
// → ReLU → max-pool 2 → flatten 256 → dense 10 → softmax cross-entropy; 5,994 parameters), SGD with momentum 0.9,
// lr 0.01, batch 32, on the bundled digits (www/data/mnist-10k.bin.gz, normalised like PruneLab, one seeded
// shuffle of all 10,000 images, cycled). Each step builds the batch tensors, runs forward + backward + update and
// reads the loss (as PruneLab's trainer does). A warm-up window of min(seconds, 1) s, then 3 timed windows of
// `seconds`; the median is reported. Backends: 'wasm' (one thread: the threaded build is switched off below) and
// the pure-JS 'cpu' backend.
//
// What is registered here: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel (tensorflow/tfjs#8474), so
// training a conv net fails. We register Conv2DBackpropFilter for 'wasm' as a zero-copy view onto the wasm
// backend's own native Conv3DBackpropFilterV2 kernel: x [N,H,W,C] and dy [N,OH,OW,K] are passed as [N,1,H,W,C]
// and [N,1,OH,OW,K] (same data, depth 1), the filter shape as [1,FH,FW,C,K], strides as [1,1,1]; the result's
// data is returned with the 2-D filter shape [FH,FW,C,K]. Only stride 1, NHWC and 'valid'/'same' padding are
// handled (all the reference network needs); anything else throws. Stride > 1 is refused on purpose: the wasm
// Conv3DBackpropFilterV2 itself disagrees with the cpu backend's Conv3DBackpropFilterV2 for strides > 1 (found
// while writing this check), so routing strided cases to it would give wrong gradients. The gradient check below
// compares the registered kernel, and every gradient of the reference network, with the 'cpu' backend.
importScripts('node_modules/@tensorflow/tfjs/dist/tf.min.js', 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js');

const BATCH = 32;
const conv3dFilterGrad = tf.getKernel('Conv3DBackpropFilterV2', 'wasm').kernelFunc;
tf.registerKernel({
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs: { x, dy }, backend, attrs: { strides, pad, dataFormat, filterShape } }) => {
    if (dataFormat !== 'NHWC' || (pad !== 'valid' && pad !== 'same') || [].concat(strides).some((s) => s !== 1)) {
      throw new Error(`Conv2DBackpropFilter (wasm, peer bench): only stride 1, NHWC, valid/same; got ${JSON.stringify({ strides, pad, dataFormat })}`);
    }
    const depth1 = (t) => ({ dataId: t.dataId, dtype: t.dtype, shape: [t.shape[0], 1, ...t.shape.slice(1)] });
    const dw = conv3dFilterGrad({
      inputs: { x: depth1(x), dy: depth1(dy) }, backend, attrs: { strides: [1, 1, 1], pad, filterShape: [1, ...filterShape] },
    });
    return { dataId: dw.dataId, dtype: dw.dtype, shape: filterShape };
  },
});

// A small seeded generator (mulberry32), so both backends see the same numbers.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const take = (t) => {
  const values = t.dataSync();
  t.dispose();
  return values;
};
const randoms = (n, next) => Float32Array.from({ length: n }, () => 2 * next() - 1);

// The bundled digits: 24-byte header (magic, version, rows, cols, classes, u32 count, CRC), labels, pixels.
async function loadDigits() {
  const response = await fetch('../../www/data/mnist-10k.bin.gz');
  const bytes = new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  const view = new DataView(bytes.buffer);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== 'PLDIGITS') throw new Error('not a PLDIGITS file');
  const count = view.getUint32(16, true);
  const labels = bytes.slice(24, 24 + count);
  const pixels = bytes.subarray(24 + count, 24 + count + count * 784);
  const images = Float32Array.from(pixels, (p) => (p / 255 - 0.1307) / 0.3081);
  const order = Array.from({ length: count }, (_, i) => i);
  const next = rng(7);
  for (let i = count - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return { count, labels, images, order };
}

// The reference network's parameters (He-uniform weights, zero biases), NHWC layout, from a seeded generator.
function makeParams(seed) {
  const next = rng(seed);
  const he = (shape, fanIn) => {
    const n = shape.reduce((a, b) => a * b);
    return tf.variable(tf.tensor(randoms(n, next).map((v) => v * Math.sqrt(6 / fanIn)), shape));
  };
  return {
    w1: he([5, 5, 1, 8], 25), b1: tf.variable(tf.zeros([8])),
    w2: he([5, 5, 8, 16], 200), b2: tf.variable(tf.zeros([16])),
    w3: he([256, 10], 256), b3: tf.variable(tf.zeros([10])),
  };
}

function logits(p, x) {
  let h = tf.fused.conv2d({ x, filter: p.w1, bias: p.b1, strides: 1, pad: 'valid', activation: 'relu' });
  h = tf.maxPool(h, 2, 2, 'valid');
  h = tf.fused.conv2d({ x: h, filter: p.w2, bias: p.b2, strides: 1, pad: 'valid', activation: 'relu' });
  h = tf.maxPool(h, 2, 2, 'valid');
  return tf.fused.matMul({ a: tf.reshape(h, [-1, 256]), b: p.w3, bias: p.b3 });
}
const loss = (p, x, y) => tf.losses.softmaxCrossEntropy(y, logits(p, x));

function batchTensors(data, cursor, size) {
  const x = new Float32Array(size * 784);
  const y = new Int32Array(size);
  for (let i = 0; i < size; i += 1) {
    const k = data.order[(cursor + i) % data.count];
    x.set(data.images.subarray(k * 784, (k + 1) * 784), i * 784);
    y[i] = data.labels[k];
  }
  return { x: tf.tensor4d(x, [size, 28, 28, 1]), y: tf.oneHot(tf.tensor1d(y, 'int32'), 10) };
}

// Samples/s of one backend: warm-up, then the median of 3 windows.
async function measure(backend, data, seconds) {
  await tf.setBackend(backend);
  const params = makeParams(1);
  const vars = Object.values(params);
  const optimizer = tf.train.momentum(0.01, 0.9);
  let cursor = 0;
  let lastLoss = NaN;
  const window = (s) => {
    const started = performance.now();
    let samples = 0;
    let elapsed;
    do {
      const cost = tf.tidy(() => {
        const { x, y } = batchTensors(data, cursor, BATCH);
        return optimizer.minimize(() => loss(params, x, y), true, vars);
      });
      lastLoss = cost.dataSync()[0];
      cost.dispose();
      if (!Number.isFinite(lastLoss)) throw new Error(`${backend}: the loss became ${lastLoss}`);
      cursor += BATCH;
      samples += BATCH;
      elapsed = (performance.now() - started) / 1000;
    } while (elapsed < s);
    return samples / elapsed;
  };
  window(Math.min(seconds, 1));
  const tensorsBefore = tf.memory().numTensors; // after the warm-up, which creates the 6 momentum slots
  const windows = [window(seconds), window(seconds), window(seconds)].sort((a, b) => a - b);
  const leaked = tf.memory().numTensors - tensorsBefore;
  const params_count = vars.reduce((n, v) => n + v.size, 0);
  optimizer.dispose();
  vars.forEach((v) => v.dispose());
  return { backend, samples_per_sec: windows[1], windows, steps: cursor / BATCH, last_loss: lastLoss, params: params_count, leaked_tensors: leaked };
}

// Max |wasm − cpu| of (a) the filter gradient alone on small cases (stride 1), (b) every gradient of the reference
// network's loss on 8 digits. Inputs are plain arrays, so both backends see identical numbers.
async function gradientCheck(data) {
  const cases = [
    { x: [2, 12, 12, 3], w: [3, 3, 3, 4], strides: 1, pad: 'valid' },
    { x: [2, 11, 11, 3], w: [3, 3, 3, 4], strides: 1, pad: 'same' },
    { x: [4, 12, 12, 8], w: [5, 5, 8, 16], strides: 1, pad: 'valid' },
  ].map((c, i) => {
    const next = rng(100 + i);
    const out = tf.tidy(() => tf.conv2d(tf.zeros(c.x), tf.zeros(c.w), c.strides, c.pad).shape);
    return { ...c, xs: randoms(c.x.reduce((a, b) => a * b), next), ws: randoms(c.w.reduce((a, b) => a * b), next),
      rs: randoms(out.reduce((a, b) => a * b), next), out };
  });
  const run = async (backend) => {
    await tf.setBackend(backend);
    const filter = cases.map((c) => take(tf.tidy(() => {
      const x = tf.tensor(c.xs, c.x);
      const r = tf.tensor(c.rs, c.out);
      return tf.grad((w) => tf.sum(tf.mul(tf.conv2d(x, w, c.strides, c.pad), r)))(tf.tensor(c.ws, c.w));
    })));
    const params = makeParams(3);
    const vars = Object.values(params);
    const net = tf.tidy(() => {
      const { x, y } = batchTensors(data, 0, 8);
      return Object.values(tf.variableGrads(() => loss(params, x, y), vars).grads);
    }).map(take);
    vars.forEach((v) => v.dispose());
    return { filter, net };
  };
  const wasm = await run('wasm');
  const cpu = await run('cpu');
  const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  const maxAbs = (a) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return {
    filter_cases: cases.map((c, i) => ({ x: c.x, w: c.w, strides: c.strides, pad: c.pad,
      max_abs_diff: maxDiff(wasm.filter[i], cpu.filter[i]), max_abs_grad: maxAbs(cpu.filter[i]) })),
    network_max_abs_diff: Math.max(...wasm.net.map((g, i) => maxDiff(g, cpu.net[i]))),
    network_max_abs_grad: Math.max(...cpu.net.map(maxAbs)),
  };
}

self.onmessage = async ({ data: { seconds, cpuSeconds } }) => {
  try {
    // One thread: never the threaded build (this page is not cross-origin isolated anyway).
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    tf.wasm.setWasmPaths(new URL('node_modules/@tensorflow/tfjs-backend-wasm/dist/', self.location).href);
    const digits = await loadDigits();
    const wasm = await measure('wasm', digits, seconds);
    wasm.wasm_file = performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()).filter((n) => n.endsWith('.wasm'));
    wasm.simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    wasm.threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    const cpu = await measure('cpu', digits, cpuSeconds);
    const gradient_check = await gradientCheck(digits);
    postMessage({ type: 'done', results: {
      tfjs_version: tf.version.tfjs, wasm_version: tf.wasm.version_wasm, cross_origin_isolated: self.crossOriginIsolated,
      shared_array_buffer: typeof SharedArrayBuffer !== 'undefined', data: `all ${digits.count} images of www/data/mnist-10k.bin.gz, seeded shuffle`,
      batch_size: BATCH, seconds, cpu_seconds: cpuSeconds, wasm, cpu, gradient_check,
    } });
  } catch (error) {
    postMessage({ type: 'error', message: String(error.stack || error.message || error) });
  }
};
