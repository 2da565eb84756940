# The two commands a newcomer needs. Both do their own set-up (scripts/setup.sh).
.PHONY: serve test dist single bench bench-web bench-peers

serve: ## Build the playground and serve it on 127.0.0.1 (prints the URL)
	scripts/serve.sh

test: ## Run every check: fmt, clippy (native + wasm32), native tests, wasm tests, end-to-end
	scripts/test.sh

dist: ## One self-contained folder (dist/) for any static host, with dist/prunelab.html in it
	scripts/build-web.sh dist

single: ## One self-contained file (dist/prunelab.html) that works double-clicked, with no server
	scripts/build-web.sh single

bench: ## Training throughput (native, one thread)
	cargo run --release -- bench

bench-web: ## Training throughput in headless Chromium, page-ready time, main-thread long tasks
	scripts/build-web.sh && node scripts/bench-web.mjs

bench-peers: ## PruneLab beside TensorFlow.js 4.22 (wasm, one thread; cpu) in headless Chromium, reference network
	scripts/build-web.sh && node scripts/bench-peers.mjs
