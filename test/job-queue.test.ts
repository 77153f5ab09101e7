import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { queueLocation } from '../src/home/index.ts';
import { JobNotifier, JobQueue } from '../src/state/index.ts';
import { postgresAvailable, tempStateUrl } from './helpers/postgres.ts';

test(
  'job queue: a run aborted while its jobs wait (a task timeout) ' +
    'throws the reason at once, and no worker takes them after',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const location = queueLocation(tempStateUrl(t, 'shoplake_jq'));
    const submitter = await JobQueue.open({ ...location, taskTimeoutSeconds: 30, attempts: 1, superviseSeconds: 1 });
    const worker = await JobQueue.open({ ...location, taskTimeoutSeconds: 30, attempts: 1, superviseSeconds: 1 });
    try {
      const controller = new AbortController();
      const reason = new Error('task "silver_events" did not finish within 300 ms');
      setTimeout(() => controller.abort(reason), 300);
      const started = Date.now();
      const idle = { ms: 60_000, error: () => new Error('idle') };
      await assert.rejects(
        submitter.run('jq-test', [{ n: 1 }, { n: 2 }], async () => undefined, idle, controller.signal),
        (err) => err === reason,
      );
      assert.ok(Date.now() - started < 2_000, `the wait ended ${Date.now() - started} ms after it began`);

      const handled: number[] = [];
      await worker.work<{ n: number }, { n: number }>('jq-test', 2, async (job) => {
        handled.push(job.n);
        return { n: job.n };
      });
      // The worker is live: a job submitted now is taken and settled, while the cancelled ones never are.
      const settled: number[] = [];
      await submitter.run<{ n: number }, { n: number }>(
        'jq-test',
        [{ n: 3 }],
        async (s) => void settled.push(s.ok ? s.output.n : -1),
        idle,
      );
      assert.deepEqual(settled, [3]);
      await new Promise((r) => setTimeout(r, 1_500));
      assert.deepEqual(handled, [3]);

      // An aborted signal ends the run before anything is submitted.
      await assert.rejects(
        submitter.run('jq-test', [{ n: 4 }], async () => undefined, idle, AbortSignal.abort(reason)),
        (err) => err === reason,
      );
      await new Promise((r) => setTimeout(r, 1_500));
      assert.deepEqual(handled, [3]);
    } finally {
      await worker.close();
      await submitter.close();
    }
  },
);

test(
  "job notifier: a watch wakes at its queue's event, sent from another " +
    'connection, at once if it came before the wait, and not for another queue',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const { url } = queueLocation(tempStateUrl(t, 'shoplake_jn'));
    const schema = `shoplake_jn${process.pid}`;
    const listener = await JobNotifier.open(url, schema);
    const sender = await JobNotifier.open(url, schema);
    assert.ok(listener && sender, 'both connected');
    const watch = listener.watch('models', 'settled');
    try {
      const elapsed = async (f: () => Promise<unknown>) => {
        const t0 = Date.now();
        await f();
        return Date.now() - t0;
      };
      // Another queue's event, or this queue's other event, leaves the wait to its timeout.
      await sender.notify('ingest', 'settled');
      await sender.notify('models', 'created');
      assert.ok((await elapsed(() => watch.wait(400))) >= 390, 'no wake for another queue or event');
      assert.equal(await watch.wait(50), undefined, 'a wait that times out says so');
      const waited = await elapsed(() =>
        Promise.all([
          watch.wait(10_000),
          new Promise((r) => setTimeout(r, 100)).then(() => sender.notify('models', 'settled')),
        ]).then(() => undefined),
      );
      assert.ok(waited < 5_000, `woken by the notification after ${waited} ms, not the 10 s timeout`);
      // Those that came while nobody waited are kept for the next wait, with the jobs they name.
      await sender.notify('models', 'settled', 'job-1');
      await sender.notify('models', 'settled', 'job-2');
      await new Promise((r) => setTimeout(r, 300));
      let ids: string[] | undefined;
      assert.ok(
        (await elapsed(async () => (ids = await watch.wait(10_000)))) < 100,
        'the pending notifications end the next wait at once',
      );
      assert.deepEqual(ids, ['job-1', 'job-2']);
      assert.ok((await elapsed(() => watch.wait(300))) >= 290, 'and only that one');

      // The listening connection killed (as by a server restart): made again within seconds.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1', [
        `LISTEN "${schema}_jobs"`,
      ]);
      await admin.end();
      assert.equal(killed.rowCount, 1, "the listener's connection was found and ended");
      let woken = false;
      for (let i = 0; i < 50 && !woken; i++) {
        await sender.notify('models', 'settled');
        woken = (await elapsed(() => watch.wait(200))) < 150;
      }
      assert.ok(woken, 'notifications reach the watch again after the listener reconnected');
    } finally {
      watch.stop();
      await listener.close();
      await sender.close();
    }
  },
);
