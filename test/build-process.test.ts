import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { Orchestrator, runPipeline } from '../src/home/index.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { warehouseDiff } from './helpers/warehouse-diff.ts';

/** The processes this one started whose command line runs the DuckDB engine process (Linux). */
function engineProcesses(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
          .replace(/^.*\) /, '')
          .split(' ');
        return Number(stat[1]) === process.pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('duck-child-main')
          ? [Number(d)]
          : [];
      } catch {
        return [];
      }
    });
}

test(
  'a build in a child process at a lower CPU priority publishes what a build in the ' +
    "run's own process does; a killed one fails the run, and the next run recovers",
  { skip: process.platform !== 'linux' && 'reads /proc', timeout: 180_000 },
  async () => {
    const root = await tempDir('build-process');
    const landing = join(root, 'landing');
    await generateLanding({ out: landing, scale: 0.005, seed: 11, drops: 1 });
    const inline = join(root, 'inline');
    assert.equal((await runPipeline({ home: inline, landing })).status, 'success');

    const home = join(root, 'child');
    let killed: number | undefined;
    const o = await Orchestrator.open({
      purpose: 'test',
      home,
      landing,
      buildProcess: { nice: 10 },
      // The first build's engine process is killed as its first model starts.
      progress: (e) => {
        if (e.stage !== 'transform' || killed !== undefined) return;
        const [pid] = engineProcesses();
        if (pid) process.kill((killed = pid), 'SIGKILL');
      },
    });
    try {
      const first = await o.waitFor((await o.trigger('daily', {})).runId);
      assert.ok(killed, 'the engine process was found and killed');
      assert.equal(first.state, 'failed');
      const tasks = await o.store.tasks(first.runId);
      const failedTask = tasks.find((t) => t.state === 'failed');
      assert.equal(failedTask?.error?.code, 'engine_process_exited', JSON.stringify(failedTask));
      assert.equal(failedTask?.error?.kind, 'transient');
      assert.deepEqual(engineProcesses(), [], 'the failed run leaves no engine process behind');

      const second = await o.waitFor((await o.trigger('daily', {})).runId);
      assert.equal(second.state, 'success');
      const catalog = (await o.store.logs(second.runId, 'catalog')).map((l) => l.message).join('\n');
      const pid = Number(/the build runs in process (\d+) \(nice \+10\)/.exec(catalog)?.[1]);
      assert.ok(pid > 0 && pid !== process.pid, catalog);
      assert.deepEqual(engineProcesses(), [], "the run's engine process ends with the run");
    } finally {
      await o.close();
    }
    assert.deepEqual(await warehouseDiff(new LakeLayout(inline).warehouseDb, new LakeLayout(home).warehouseDb), []);
  },
);
