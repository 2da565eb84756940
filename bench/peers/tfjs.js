// The TF.js peer bench page: runs tfjs-worker.js and exposes its results as window.peerResults.
const params = new URLSearchParams(location.search);
const seconds = Number(params.get('seconds') || 1);
const cpuSeconds = Number(params.get('cpu-seconds') || seconds);
const worker = new Worker(new URL('./tfjs-worker.js', import.meta.url));
worker.onmessage = ({ data }) => {
  const status = document.getElementById('peer-status');
  if (data.type === 'done') {
    status.textContent = 'Done.';
    document.getElementById('peer-output').textContent = JSON.stringify(data.results, null, 2);
    window.peerResults = data.results;
  } else {
    status.textContent = `Benchmark failed: ${data.message}`;
    window.peerResults = { error: data.message };
  }
};
worker.onerror = (event) => {
  document.getElementById('peer-status').textContent = `Worker failed: ${event.message}`;
  window.peerResults = { error: `worker: ${event.message}` };
};
worker.postMessage({ seconds, cpuSeconds });
