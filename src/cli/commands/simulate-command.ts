import type { Command } from 'commander';
import { connect } from 'nats';
import { TerminalError } from '../../errors/index.ts';
import { LiveSimulator, type LiveRecord } from '../../generate/index.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { printJson } from '../output.ts';
import { positiveNumber } from './generate-command.ts';

interface Tally {
  sent: number;
  accepted: number;
  rejected: number;
  throttled: number;
  failed: number;
  errors: Record<string, number>;
}

export function registerSimulate(program: Command): void {
  withCommonOptions(
    program
      .command('simulate')
      .description(
        'send a live stream of sessions (page views to purchases) ' +
          'and the orders they create, with some malformed records',
      )
      .requiredOption('--target <url>', 'http://host:port of `shoplake serve`, or nats://host:port')
      .option('--rate <n>', 'records per second', positiveNumber, 500)
      .option('--duration <s>', 'stop after this many seconds (default: until Ctrl-C)', positiveNumber)
      .option('--token <t>', 'collector bearer token (default: collector.token from the config)')
      .option('--subject <prefix>', 'NATS subject prefix: <prefix>.events and <prefix>.orders', 'shoplake')
      .option('--seed <n>', 'random seed', (v) => Number(v), 7)
      .option('--malformed <share>', 'share of records broken on purpose', (v) => Number(v), 0.01),
  ).action(
    async (
      opts: CommonOptions & {
        target: string;
        rate: number;
        duration?: number;
        token?: string;
        subject: string;
        seed: number;
        malformed: number;
      },
    ) => {
      const config = await configFor(opts);
      const sim = new LiveSimulator({
        seed: opts.seed,
        customers: 2500,
        products: 250,
        stores: 6,
        malformed: opts.malformed,
      });
      const send = await sender(opts.target, opts.token ?? config.collector.token, opts.subject);
      const tally: Tally = { sent: 0, accepted: 0, rejected: 0, throttled: 0, failed: 0, errors: {} };
      const started = Date.now();
      let stop = false;
      process.once('SIGINT', () => (stop = true));
      const tickMs = 100;
      while (!stop && (opts.duration === undefined || Date.now() - started < opts.duration * 1000)) {
        const due = Math.floor(((Date.now() - started) / 1000) * opts.rate) - tally.sent;
        if (due > 0) {
          const batch = sim.next(due);
          tally.sent += batch.length;
          await send(batch, tally);
        }
        if (!opts.json && process.stderr.isTTY)
          process.stderr.write(
            `\r${tally.sent} sent, ${tally.accepted} accepted, ${tally.rejected} ` +
              `rejected, ${tally.throttled} throttled (429), ${tally.failed} failed ` +
              `— ${Math.round(tally.sent / ((Date.now() - started) / 1000))}/s`,
          );
        await new Promise((r) => setTimeout(r, tickMs));
      }
      await send.close?.();
      if (opts.json) printJson({ ...tally, seconds: (Date.now() - started) / 1000 });
      else
        process.stdout.write(
          `\n${tally.sent} records sent in ${((Date.now() - started) / 1000).toFixed(1)} s: ${tally.accepted} ` +
            `accepted, ${tally.rejected} rejected, ${tally.throttled} throttled, ${tally.failed} failed\n`,
        );
    },
  );
}

type Sender = ((batch: LiveRecord[], tally: Tally) => Promise<void>) & { close?: () => Promise<void> };

async function sender(target: string, token: string | undefined, subject: string): Promise<Sender> {
  if (target.startsWith('nats://')) {
    const nc = await connect({ servers: target.slice('nats://'.length) });
    const js = nc.jetstream();
    const fn: Sender = async (batch, tally) => {
      for (const stream of ['events', 'orders'] as const) {
        const records = batch.filter((b) => b.stream === stream).map((b) => b.record);
        if (records.length === 0) continue;
        try {
          await js.publish(`${subject}.${stream}`, JSON.stringify(records));
          tally.accepted += records.length;
        } catch {
          tally.failed += records.length;
        }
      }
    };
    fn.close = () => nc.drain();
    return fn;
  }
  if (!/^https?:\/\//.test(target))
    throw new TerminalError('bad_option', `--target must be http(s):// or nats://, not "${target}"`, {
      subject: '--target',
    });
  if (!token)
    throw new TerminalError('bad_option', 'the collector needs a token: --token or collector.token in the config', {
      subject: '--token',
    });
  return async (batch, tally) => {
    for (const stream of ['events', 'orders'] as const) {
      const records = batch.filter((b) => b.stream === stream).map((b) => b.record);
      if (records.length === 0) continue;
      // A dropped connection or a 5xx is tried again (a real client
      // would); the records count as failed only after that.
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await fetch(`${target.replace(/\/$/, '')}/v1/${stream}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(records),
          });
          if (res.status === 429) {
            tally.throttled += records.length;
            await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
            break;
          }
          const body = (await res.json()) as { accepted?: number; rejected?: unknown[] };
          if (res.ok) {
            tally.accepted += body.accepted ?? 0;
            tally.rejected += body.rejected?.length ?? 0;
            break;
          }
          tally.errors[`HTTP ${res.status}`] = (tally.errors[`HTTP ${res.status}`] ?? 0) + 1;
          if (res.status < 500 || attempt >= 3) {
            tally.failed += records.length;
            break;
          }
        } catch (err) {
          const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
          tally.errors[why] = (tally.errors[why] ?? 0) + 1;
          if (attempt >= 3) {
            tally.failed += records.length;
            break;
          }
        }
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  };
}
