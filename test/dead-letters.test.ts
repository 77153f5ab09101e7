import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { DeadLetterQueue } from '../src/ingest/index.ts';
import { Orchestrator, replayDeadLetters } from '../src/home/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

test(
  'a file that fails every attempt is dead-lettered, ' + 'left alone, replayed after a fix, and ingested exactly once',
  async () => {
    const root = await tempDir('dlq');
    const landing = join(root, 'landing');
    const spare = join(root, 'spare');
    await generateLanding({ out: landing, scale: 0.003, seed: 8, drops: 1 });
    await generateLanding({ out: spare, scale: 0.002, seed: 9, drops: 1 });
    const real = join(
      spare,
      'orders',
      (await readdir(join(spare, 'orders'))).find((f) => f.includes('part'))!,
    );
    const mount = join(root, 'mount', 'orders-late.csv.gz');
    // The landing file is a link into a share that is not mounted: reading it fails, whatever the retries.
    await symlink(mount, join(landing, 'orders', 'orders-late.csv.gz'));

    const o = await Orchestrator.open({
      purpose: 'test',
      home: join(root, 'home'),
      landing,
      fileAttempts: 2,
      retryDelayMs: 5,
    });
    const dlq = new DeadLetterQueue(o.state);
    const runDaily = async () => {
      const r = await o.trigger('daily', {});
      await o.waitFor(r.runId);
      return o.summaryOf(r.runId)!;
    };
    try {
      const first = await runDaily();
      assert.equal(first.status, 'success', 'one failing file does not stop the others');
      assert.equal(first.files.failed, 1);
      const [letter] = await dlq.list();
      assert.ok(letter);
      assert.deepEqual(
        [letter.subject, letter.status, letter.attempts, letter.errorCode],
        ['orders/orders-late.csv.gz', 'dead', 2, 'ENOENT'],
      );
      assert.equal(first.fileResults.find((f) => f.status === 'failed')?.reason, letter.id);

      // Left alone by later runs while nothing changed.
      const idle = await runDaily();
      assert.equal(idle.status, 'nothing_new');
      assert.equal((await dlq.get(letter.id))?.attempts, 2);

      // A replay before the fix fails again: dead again, attempts added up.
      const early = await replayDeadLetters(o, dlq, [letter.id]);
      assert.equal(early.run?.runType, 'replay');
      await o.waitFor(early.run!.runId);
      assert.deepEqual([(await dlq.get(letter.id))?.status, (await dlq.get(letter.id))?.attempts], ['dead', 4]);

      // The share comes back with the file; replay ingests it, once.
      await mkdir(join(root, 'mount'), { recursive: true });
      await copyFile(real, mount);
      const fixed = await replayDeadLetters(o, dlq, 'all');
      assert.deepEqual(fixed.ids, [letter.id]);
      await o.waitFor(fixed.run!.runId);
      const resolved = await dlq.get(letter.id);
      assert.deepEqual([resolved?.status, resolved?.resolvedBy], ['resolved', fixed.run!.runId]);
      assert.equal(o.summaryOf(fixed.run!.runId)?.files.ingested, 1);
      await assert.rejects(
        dlq.requestReplay([letter.id]),
        (e: Error & { code?: string }) => e.code === 'dead_letter_resolved',
      );
      assert.deepEqual(await replayDeadLetters(o, dlq, 'all'), { ids: [], run: undefined });

      const again = await runDaily();
      assert.equal(again.status, 'nothing_new');
      const ledger = await o.state.all<{ n: bigint }>(
        "SELECT count(*) AS n FROM ingested_files WHERE path = 'orders/orders-late.csv.gz'",
      );
      assert.equal(Number(ledger[0]?.n), 1, 'ingested exactly once');
      assert.equal(await dlq.depth(), 0);
    } finally {
      await o.close();
    }
  },
);
