// The bench page: starts the worker, fills the table, exposes the results as window.benchResults.
const params = new URLSearchParams(location.search);
const seconds = Number(params.get('seconds') || 1);
const results = { training: [], eval_ms: {}, seconds, batch_size: 32 };
const worker = new Worker(new URL('./bench-worker.js', import.meta.url), { type: 'module' });
const body = document.querySelector('#bench-table tbody');

worker.onmessage = ({ data }) => {
  if (data.type === 'result') {
    results.training.push(data);
    const row = document.createElement('tr');
    for (const text of [data.network, `${Math.round(100 * data.sparsity)}%`, data.kept_params.toLocaleString(),
      data.forward_macs_per_sample.toLocaleString(), Math.round(data.train_samples_per_sec).toLocaleString()]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    body.append(row);
  } else if (data.type === 'eval') {
    results.eval_ms[data.network] = data.ms;
    document.getElementById('bench-eval').textContent += ` ${data.network}: 2,000 test images evaluated in ${data.ms.toFixed(1)} ms.`;
  } else if (data.type === 'done') {
    document.getElementById('bench-status').textContent = 'Done.';
    window.benchResults = results;
  } else if (data.type === 'error') {
    document.getElementById('bench-status').textContent = `Benchmark failed: ${data.message}`;
    window.benchResults = { error: data.message };
  }
};
worker.postMessage({ networks: ['reference', 'default'], sparsities: [0, 0.5, 0.75, 0.9, 0.95], batchSize: 32, seconds });
