import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, substituteEnv } from './load-config.ts';
import { ShoplakeError } from '../errors/index.ts';

test('defaults apply with no file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
  const c = await loadConfig({ cwd: dir });
  assert.equal(c.home, 'demo/.shoplake');
  assert.equal(c.engine.memoryLimit, '1200MB');
});

test('a YAML file in the folder is found, ${ENV} filled in, overrides win', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
  await writeFile(
    join(dir, 'shoplake.config.yaml'),
    'home: ${LAKE_HOME}/h\nlanding: in\nengine:\n  memoryLimit: 2GB\n',
  );
  const c = await loadConfig({ cwd: dir, env: { LAKE_HOME: '/data' }, overrides: { landing: 'other' } });
  assert.equal(c.home, '/data/h');
  assert.equal(c.landing, 'other');
  assert.equal(c.engine.memoryLimit, '2GB');
});

test('invalid fields are named', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
  await writeFile(
    join(dir, 'shoplake.config.json'),
    JSON.stringify({ engine: { memoryLimit: 'lots' }, colour: 'red' }),
  );
  await assert.rejects(
    loadConfig({ cwd: dir }),
    (e: unknown) =>
      e instanceof ShoplakeError &&
      e.code === 'config_invalid' &&
      /engine\.memoryLimit/.test(e.message) &&
      /colour/.test(e.message),
  );
});

test('an S3 lake is an s3://bucket/prefix URL with its connection in the s3 block', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
  await writeFile(
    join(dir, 'shoplake.config.json'),
    JSON.stringify({
      lake: { url: 's3://shop-lake/prod' },
      s3: { endpoint: 'http://127.0.0.1:9000', accessKeyId: 'k', secretAccessKey: 's' },
    }),
  );
  const c = await loadConfig({ cwd: dir });
  assert.equal(c.lake.url, 's3://shop-lake/prod');
  assert.equal(c.s3.maxAttempts, 5);
  await writeFile(
    join(dir, 'shoplake.config.json'),
    JSON.stringify({ lake: { url: 'bucket/prod' }, s3: { endpoint: 'nowhere' } }),
  );
  await assert.rejects(
    loadConfig({ cwd: dir }),
    (e: unknown) => e instanceof ShoplakeError && /lake\.url/.test(e.message) && /s3\.endpoint/.test(e.message),
  );
});

test('an unset variable is an error, not an empty string', () => {
  assert.throws(() => substituteEnv({ a: '${NOPE_X}' }, {}), /NOPE_X/);
});

test('a project: shoplake.yaml found in the folder or by --project, its paths read from its folder', async () => {
  const project = await mkdtemp(join(tmpdir(), 'cfg-project-'));
  await writeFile(join(project, 'shoplake.yaml'), 'landing: drops\ndags: [dags/export.ts]\n');
  const here = await loadConfig({ cwd: project });
  assert.equal(here.home, join(project, '.shoplake'));
  assert.equal(here.landing, join(project, 'drops'));
  assert.deepEqual(here.dags, [join(project, 'dags/export.ts')]);
  const elsewhere = await mkdtemp(join(tmpdir(), 'cfg-elsewhere-'));
  const byFlag = await loadConfig({ cwd: elsewhere, project, overrides: { home: 'h' } });
  assert.equal(byFlag.landing, join(project, 'drops'));
  assert.equal(byFlag.home, 'h', 'a command-line value is taken as given');
  // A project file wins over a plain config file beside it.
  await writeFile(join(project, 'shoplake.config.json'), JSON.stringify({ landing: 'other' }));
  assert.equal((await loadConfig({ cwd: project })).landing, join(project, 'drops'));
  await assert.rejects(
    loadConfig({ cwd: elsewhere, project: join(elsewhere, 'none') }),
    (e: unknown) =>
      e instanceof ShoplakeError && e.code === 'config_unreadable' && /no shoplake project/.test(e.message),
  );
});

test('a refused field is named with its line and column in the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
  await writeFile(
    join(dir, 'shoplake.yaml'),
    ['home: h', 'engine:', '  memoryLimit: lots', 'warehouse:', '  url: duckdb', '  colour: red', ''].join('\n'),
  );
  await assert.rejects(loadConfig({ cwd: dir }), (e: unknown) => {
    assert.ok(e instanceof ShoplakeError && e.code === 'config_invalid');
    assert.match(e.message, /shoplake\.yaml: /);
    assert.match(e.message, /line 3, column 16: engine\.memoryLimit: a size such as 1200MB or 2GB/);
    assert.match(e.message, /line 6, column 3: warehouse: Unrecognized key/);
    return true;
  });
  // JSON is located the same way; a field set on the command line has no line.
  await writeFile(join(dir, 'c.json'), '{\n  "engine": { "memoryLimit": "lots" }\n}\n');
  await assert.rejects(loadConfig({ cwd: dir, file: 'c.json' }), /line 2, column 30: engine\.memoryLimit/);
  await assert.rejects(
    loadConfig({ cwd: dir, file: 'c.json', overrides: { engine: { memoryLimit: 'more' } } }),
    (e: unknown) => e instanceof Error && /: engine\.memoryLimit/.test(e.message) && !/line/.test(e.message),
  );
});
