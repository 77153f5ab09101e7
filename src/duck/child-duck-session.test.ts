import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { ChildDuckSession } from './child-duck-session.ts';

/** A process's nice value, field 19 of /proc/<pid>/stat (Linux). */
const niceOf = (pid: number | 'self') =>
  Number(
    readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ')[16],
  );

test(
  'a database in a child process answers as one in this process does, at a lower CPU priority',
  { timeout: 60_000 },
  async () => {
    const db = await ChildDuckSession.open({ memoryLimit: '256MB', threads: 1 }, { nice: 5 });
    const pid = db.pid!;
    try {
      assert.notEqual(pid, process.pid);
      if (existsSync('/proc/self/stat')) assert.equal(niceOf(pid), Math.min(19, niceOf('self') + 5));
      await db.run('CREATE TABLE t (k VARCHAR, v BIGINT)');
      await db.run('INSERT INTO t VALUES ($k, $v), ($k2, 2)', { k: 'a', v: 10n ** 12n, k2: 'b' });
      const other = await db.fork();
      // BIGINT comes back as a string, as from a session in this process.
      assert.deepEqual(await other.all('SELECT k, v FROM t ORDER BY k'), [
        { k: 'a', v: '1000000000000' },
        { k: 'b', v: '2' },
      ]);
      assert.equal(Number(await other.scalar('SELECT sum(v) FROM t WHERE k = ?', ['b'])), 2);
      await assert.rejects(
        db.transaction(async () => {
          await db.run("INSERT INTO t VALUES ('c', 3)");
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      assert.equal(Number(await db.scalar('SELECT count(*) FROM t')), 2);
      await assert.rejects(other.run('SELECT * FROM missing_table'), /missing_table/);
      await assert.rejects(
        db.run('SELECT $1', [new Date() as never]),
        (err: Error & { code?: string }) => err.code === 'param_not_portable',
      );
      // An interrupt stops the statement on that connection only.
      const long = other.scalar('SELECT count(*) FROM range(5000000000) a(i) WHERE i % 7 = 3');
      await new Promise((r) => setTimeout(r, 300));
      other.interrupt();
      await assert.rejects(long, /interrupt/i);
      assert.equal(Number(await db.scalar('SELECT 41 + 1')), 42);
      await other.close();
    } finally {
      await db.close();
    }
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
  },
);

test(
  'a killed engine process fails the statements waiting on it and every later one, as transient',
  { timeout: 60_000 },
  async () => {
    const db = await ChildDuckSession.open({ threads: 1 }, { nice: 0 });
    const long = db.scalar('SELECT count(*) FROM range(5000000000) a(i) WHERE i % 7 = 3');
    await new Promise((r) => setTimeout(r, 300));
    process.kill(db.pid!, 'SIGKILL');
    const exited = (err: Error & { code?: string; kind?: string }) =>
      err.code === 'engine_process_exited' && err.kind === 'transient' && /SIGKILL/.test(err.message);
    await assert.rejects(long, exited);
    await assert.rejects(db.all('SELECT 1'), exited);
    await db.close();
  },
);

test(
  'an engine process whose parent is killed stops instead of building for nobody',
  { skip: process.platform === 'win32' && 'signals', timeout: 60_000 },
  async () => {
    const module = new URL('./child-duck-session.ts', import.meta.url).href;
    const parent = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `
    import { ChildDuckSession } from ${JSON.stringify(module)};
    const db = await ChildDuckSession.open({ threads: 1 }, { nice: 0 });
    console.log(db.pid);
    await db.scalar('SELECT count(*) FROM range(50000000000) a(i) WHERE i % 7 = 3');
  `,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const pid = await new Promise<number>((resolve) =>
      parent.stdout.once('data', (b: Buffer) => resolve(Number(b.toString().trim()))),
    );
    assert.ok(pid > 0);
    process.kill(parent.pid!, 'SIGKILL');
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(), false, `engine process ${pid} outlived its parent`);
  },
);

test(
  'an engine process that cannot start fails the open as transient, naming the setting that avoids it',
  { skip: process.platform === 'win32' && 'no nice there' },
  async () => {
    const path = process.env['PATH'];
    // No `nice` to be found: the spawn fails.
    process.env['PATH'] = '/nonexistent';
    try {
      await assert.rejects(
        ChildDuckSession.open({}, { nice: 5 }),
        (err: Error & { code?: string; kind?: string; hint?: string }) =>
          err.code === 'engine_process_failed' &&
          err.kind === 'transient' &&
          /buildProcess: inline/.test(err.hint ?? ''),
      );
    } finally {
      process.env['PATH'] = path;
    }
  },
);

test(
  "a database the engine process cannot open fails the open with DuckDB's error and ends the process",
  { timeout: 30_000 },
  async () => {
    const before = new Set(childPids());
    await assert.rejects(ChildDuckSession.open({ memoryLimit: 'lots' }, { nice: 0 }), /config/i);
    assert.deepEqual(
      childPids().filter((p) => !before.has(p)),
      [],
    );
  },
);

/** This process's children (Linux; none elsewhere). */
function childPids(): number[] {
  if (!existsSync('/proc/self/task')) return [];
  return readFileSync(`/proc/self/task/${process.pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
}
