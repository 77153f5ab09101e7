import type { Command } from 'commander';
import { startMockApi } from '../../generate/index.ts';
import { positiveNumber } from './generate-command.ts';

export interface MockApiCommandOptions {
  port: number;
  token: string;
  orders: number;
  customers: number;
  failRate: number;
  rate: number;
  changeEvery: number;
  seed: number;
}

export function registerMockApi(program: Command): void {
  program
    .command('mock-api')
    .description(
      'serve generated orders and customers as a retail REST API ' +
        '(pagination, auth, rate limits, injected 500s, slow pages)',
    )
    .option('--port <n>', 'port', (v) => Number(v), 7430)
    .option('--token <t>', 'accepted as a bearer token or X-API-Key', 'demo-token')
    .option('--orders <n>', 'orders', positiveNumber, 5000)
    .option('--customers <n>', 'customers', positiveNumber, 1000)
    .option('--fail-rate <share>', 'share of requests answered 500', (v) => Number(v), 0.05)
    .option('--rate <n>', 'requests per second before 429', positiveNumber, 20)
    .option(
      '--change-every <s>',
      'move some orders and customers on every this many seconds (0: never)',
      (v) => Number(v),
      30,
    )
    .option('--seed <n>', 'random seed', (v) => Number(v), 7)
    .action(async (opts: MockApiCommandOptions) => {
      const api = await startMockApi({
        seed: opts.seed,
        orders: opts.orders,
        customers: opts.customers,
        failRate: opts.failRate,
        ratePerSecond: opts.rate,
        slowRate: 0.05,
        slowMs: 800,
        token: opts.token,
        port: opts.port,
      });
      process.stdout.write(
        `mock retail API at ${api.url}: GET /orders?updated_since=&page=&per_page= (Link header), GET ` +
          `/customers?updated_since=&cursor=&limit=; token "${opts.token}" as Bearer or X-API-Key. Ctrl-C stops.\n`,
      );
      const timer =
        opts.changeEvery > 0
          ? setInterval(() => api.mutate(Math.max(1, Math.round(opts.orders / 100))), opts.changeEvery * 1000)
          : undefined;
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      clearInterval(timer);
      await api.close();
    });
}
