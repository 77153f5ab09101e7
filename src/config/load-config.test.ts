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
