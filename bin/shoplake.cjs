#!/usr/bin/env node
// CommonJS on purpose: this file runs before anything uses libuv's thread pool, which is
// sized once, from UV_THREADPOOL_SIZE, at its first use (the ES module loader reads files
// through it, so an ES module entry would be too late). DuckDB's Node bindings hold a pool
// thread for as long as each statement runs; with the default four, a delivery, the live
// micro-batch, a dashboard query and a build at once left the collector's log writes and
// fsyncs waiting behind them, and its acknowledgements with them.
process.env.UV_THREADPOOL_SIZE ??= '16';

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
