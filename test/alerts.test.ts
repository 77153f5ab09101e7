import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { ConfigSchema } from '../src/config/index.ts';
import { TransientError } from '../src/errors/index.ts';
import { AlertDispatcher } from '../src/home/alerts/index.ts';
import { defineDag, retryPolicy } from '../src/dag/index.ts';
import { Orchestrator } from '../src/home/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

interface Received {
  text: string;
  shoplake: { event: string; dag: string; runId: string };
}

/** A Slack-style webhook receiver on loopback: the first POST is answered 500 (the sender must retry). */
async function webhookReceiver(): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  let calls = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d));
    req.on('end', () => {
      if (++calls === 1) return void res.writeHead(500).end('try later');
      got.push(JSON.parse(body) as Received);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/shoplake`, got, server };
}

async function smtpReceiver(): Promise<{ port: number; mails: string[]; server: SMTPServer }> {
  const mails: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d));
      stream.on('end', () => {
        mails.push(raw);
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.server.address() as AddressInfo).port, mails, server };
}

test('alerts: failure and retry exhaustion, an SLA miss, then recovery, to a webhook and by email', async () => {
  const root = await tempDir('alerts');
  const hook = await webhookReceiver();
  const smtp = await smtpReceiver();
  const config = ConfigSchema.parse({
    alerts: {
      webhooks: [{ url: hook.url }],
      email: { host: '127.0.0.1', port: smtp.port, from: 'shoplake@shop.test', to: ['data-team@shop.test'] },
      baseUrl: 'http://shoplake.local',
    },
  }).alerts;
  await mkdir(join(root, 'landing'));
  const flaky = defineDag({
    name: 'flaky',
    description: 'fails while conf.fail is set',
    slaMs: 300,
    tasks: [
      {
        name: 'load',
        dependsOn: [],
        retry: retryPolicy({ maxAttempts: 2, initialDelayMs: 10 }),
        run: async (ctx) => {
          await new Promise((r) => setTimeout(r, Number(ctx.conf['sleepMs'] ?? 0)));
          if (ctx.conf['fail'])
            throw new TransientError('warehouse_unavailable', 'the warehouse refused the connection', {
              hint: 'is it up?',
            });
        },
      },
    ],
  });
  const o = await Orchestrator.open({
    purpose: 'test',
    home: join(root, 'home'),
    landing: join(root, 'landing'),
    extraDags: () => [flaky as never],
  });
  const alerts = new AlertDispatcher(config, { delayMs: () => 20 });
  alerts.attach(o);
  try {
    const failed = await o.trigger('flaky', { conf: { fail: true } });
    await o.waitFor(failed.runId);
    const slow = await o.trigger('flaky', { conf: { sleepMs: 600 } });
    assert.equal((await o.waitFor(slow.runId)).state, 'success');
    await alerts.flush();

    // By run: the failing run failed and gave up; the slow one missed its SLA, then recovered.
    // (On a loaded machine the failing run may overrun its SLA too; that alert is not asserted.)
    const of = (runId: string) =>
      hook.got
        .filter((g) => g.shoplake.runId === runId)
        .map((g) => g.shoplake.event)
        .sort();
    assert.deepEqual(
      of(failed.runId).filter((e) => e !== 'sla_missed'),
      ['failure', 'retry_exhausted'],
    );
    assert.deepEqual(of(slow.runId), ['recovery', 'sla_missed']);
    const failure = hook.got.find((g) => g.shoplake.event === 'failure')!;
    assert.equal(failure.shoplake.runId, failed.runId);
    assert.match(failure.text, /flaky run for .* FAILED/);
    assert.match(
      JSON.stringify(hook.got.find((g) => g.shoplake.event === 'retry_exhausted')),
      /gave up after 2 attempts.*warehouse_unavailable/,
    );

    assert.equal(smtp.mails.length, hook.got.length, 'every alert also by email');
    // Bodies come quoted-printable: undo its soft line breaks before reading them.
    const failMail = smtp.mails
      .map((m) => m.replace(/=\r?\n/g, ''))
      .find((m) => /Subject: shoplake: flaky run for .* FAILED/.test(m));
    assert.ok(failMail, 'failure email');
    assert.match(failMail, /To: data-team@shop\.test/);
    assert.match(failMail, /warehouse_unavailable/);
    assert.match(failMail, new RegExp(`http://shoplake.local/runs/${failed.runId}`));
  } finally {
    await o.close();
    hook.server.close();
    smtp.server.close(() => undefined);
  }
});
