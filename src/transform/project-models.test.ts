import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShoplakeError } from '../errors/index.ts';
import { projectModels } from './project-models.ts';

test('a project model: named after its file, declared by the YAML beside it, defaults without one', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'project-models-'));
  await writeFile(join(dir, 'a.sql'), 'SELECT 1 AS x');
  await writeFile(join(dir, 'b.sql'), 'SELECT * FROM a');
  await writeFile(
    join(dir, 'b.yaml'),
    'description: B\nkey: [x]\npublish: false\ntests:\n  - { kind: unique, columns: [x] }\n',
  );
  const [a, b] = await projectModels([dir]);
  assert.deepEqual(
    { name: a?.name, layer: a?.layer, publish: a?.publish, key: a?.key },
    { name: 'a', layer: 'gold', publish: true, key: [] },
  );
  assert.deepEqual(
    { name: b?.name, publish: b?.publish, tests: b?.tests },
    { name: 'b', publish: false, tests: [{ kind: 'unique', columns: ['x'] }] },
  );
});

test('a bad declaration is refused with the file, the line and the key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'project-models-'));
  await writeFile(join(dir, 'm.sql'), 'SELECT 1 AS x');
  await writeFile(join(dir, 'm.yaml'), 'description: M\ntests:\n  - { kind: unique, column: x }\npubish: true\n');
  await assert.rejects(projectModels([dir]), (e: unknown) => {
    assert.ok(e instanceof ShoplakeError && e.code === 'model_declaration_invalid');
    assert.match(e.message, /m\.yaml: /);
    assert.match(e.message, /line 3, column 5: tests\.0/);
    assert.match(e.message, /line 4, column 1: \(root\): Unrecognized key: "pubish"/);
    return true;
  });
  await assert.rejects(projectModels([join(dir, 'missing')]), (e: unknown) => {
    return e instanceof ShoplakeError && e.code === 'model_path_missing';
  });
});
