import type { Command } from 'commander';
import { ShoplakeError, TerminalError } from '../../errors/index.ts';
import { DeadLetterQueue, type DeadLetter, type DeadLetterStatus } from '../../ingest/index.ts';
import { Orchestrator, orchestratorOptions, replayDeadLetters } from '../../home/index.ts';
import { type DagRunRecord } from '../../dag/index.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { EXIT, printJson, printTable } from '../output.ts';
import { readHome, ServerClient } from '../server-client.ts';

export function registerDlq(program: Command): void {
  const dlq = program
    .command('dlq')
    .description('the dead-letter queue: landing files that failed every attempt; list, show, replay');

  withCommonOptions(
    dlq
      .command('list')
      .description('dead letters (default: the ones still waiting)')
      .option('--status <s>', 'dead, replaying, resolved or all', 'open'),
  ).action(async (_o: unknown, cmd: Command) => {
    const opts = cmd.optsWithGlobals<CommonOptions & { status: string }>();
    const status = opts.status === 'open' || opts.status === 'all' ? undefined : (opts.status as DeadLetterStatus);
    let letters = await readLetters(opts, (q) => q.list(status), `/api/dlq${status ? `?status=${status}` : ''}`);
    if (opts.status === 'open') letters = letters.filter((l) => l.status !== 'resolved');
    if (opts.json) return printJson(letters);
    printTable(
      letters.map((l) => ({
        id: l.id,
        file: l.subject,
        status: l.status,
        attempts: l.attempts,
        error: `[${l.errorCode}] ${l.error}`,
        'last failed': l.lastFailedAt,
      })),
    );
  });

  withCommonOptions(
    dlq.command('show').description('one dead letter with its error and attempts').argument('<id>'),
  ).action(async (id: string, _o: unknown, cmd: Command) => {
    const opts = cmd.optsWithGlobals<CommonOptions>();
    const letter = await readLetters(opts, (q) => q.get(id), `/api/dlq/${encodeURIComponent(id)}`);
    if (!letter)
      throw new TerminalError('dead_letter_not_found', `no dead letter "${id}"`, {
        subject: id,
        hint: 'list them with `shoplake dlq list`',
      });
    if (opts.json) return printJson(letter);
    for (const [k, v] of Object.entries(letter))
      if (v !== undefined) process.stdout.write(`${k.padEnd(14)} ${String(v)}\n`);
  });

  withCommonOptions(
    dlq
      .command('replay')
      .description('try dead letters again (after fixing the cause): by id, or --all')
      .argument('[ids...]')
      .option('--all', 'every dead letter')
      .option('--no-wait', 'return once queued (server only)'),
  ).action(async (ids: string[], _o: unknown, cmd: Command) => {
    const opts = cmd.optsWithGlobals<CommonOptions & { all?: boolean; wait: boolean }>();
    if (!opts.all && ids.length === 0)
      throw new TerminalError('bad_option', 'name dead letters to replay, or pass --all', {
        subject: 'dlq replay',
        hint: 'shoplake dlq list',
      });
    const config = await configFor(opts);
    const server = await ServerClient.find(config.home);
    let result: { ids: string[]; run?: DagRunRecord | undefined; letters?: Array<DeadLetter | undefined> };
    if (server) {
      result = await server.post(
        '/api/dlq/replay',
        opts.all ? { all: true, wait: opts.wait } : { ids, wait: opts.wait },
      );
    } else {
      const orchestrator = await Orchestrator.open(orchestratorOptions(config, 'dlq replay'));
      try {
        const queue = new DeadLetterQueue(orchestrator.state);
        const r = await replayDeadLetters(orchestrator, queue, opts.all ? 'all' : ids);
        const run = r.run && (await orchestrator.waitFor(r.run.runId));
        await orchestrator.idle();
        result = { ids: r.ids, run, letters: await Promise.all(r.ids.map((i) => queue.get(i))) };
      } finally {
        await orchestrator.close();
      }
    }
    if (opts.json) printJson(result);
    else if (result.ids.length === 0) process.stdout.write('nothing to replay: the dead-letter queue is empty\n');
    else {
      process.stdout.write(
        `replayed ${result.ids.join(', ')} in ${result.run?.runId ?? '?'}: ${result.run?.state ?? 'queued'}\n`,
      );
      if (result.letters)
        printTable(
          result.letters
            .filter((l): l is DeadLetter => !!l)
            .map((l) => ({ id: l.id, file: l.subject, status: l.status, attempts: l.attempts })),
        );
    }
    const stillDead = result.letters?.some((l) => l?.status === 'dead');
    process.exitCode = result.run?.state === 'failed' || stillDead ? EXIT.runFailed : EXIT.ok;
  });
}

/**
 * A read of the dead-letter queue through `readHome` (the server, or the
 * state file read-only); a letter the server does not know is undefined.
 */
async function readLetters<T>(
  opts: CommonOptions,
  local: (q: DeadLetterQueue) => Promise<T>,
  path: string,
): Promise<T> {
  const config = await configFor(opts);
  return readHome(config, path, (state) => local(new DeadLetterQueue(state))).catch((err: unknown) => {
    if (err instanceof ShoplakeError && err.code === 'dead_letter_not_found') return undefined as T;
    throw err;
  });
}
