#!/usr/bin/env node
// CommonJS on purpose: this file runs before anything uses libuv's thread pool, which is
// sized once, from UV_THREADPOOL_SIZE, at its first use (the ES module loader reads files
// through it, so an ES module entry would be too late). DuckDB's Node bindings hold a pool
// thread for as long as each statement runs; with the default four, a delivery, the live
// micro-batch, a dashboard query and a build at once left the collector's log writes and
// fsyncs waiting behind them, and its acknowledgements with them.
process.env.UV_THREADPOOL_SIZE ??= '16';

// V8 sets the old generation's next collection at what the last one kept times a factor it
// picks from how fast its collections run; for the server's heap (about 53 MB kept) it
// picked about 1.25, and at the collector's 20 MB/s of allocation a full collection came
// every 0.7 s, each with 20-50 ms of marking steps on the event loop: ack p99 40-65 ms
// after the first minute of bench:collector, where it had been 15-20 ms. With the factor
// fixed at 2: 5 full collections in 150 s instead of 77, ack p99 22.4 ms. The flag is read
// at each collection, so setting it here, first, covers this process and its threads.
if (!process.execArgv.some((a) => a.startsWith('--heap-growing-percent')))
  require('node:v8').setFlagsFromString('--heap-growing-percent=100');

// The CLI is TypeScript run through tsx's loader, so there is no build step between
// a checkout and a working `npx shoplake`.
(async () => {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
})().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
