import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineShare } from './engine-share.ts';

test('engineShare divides memory and threads among instances side by side', () => {
  assert.deepEqual(engineShare({ memoryLimit: '1200MB' }, 4, 8), { memoryLimit: '300MB', threads: 2 });
  assert.deepEqual(engineShare({ memoryLimit: '2GiB', threads: 6, tempDirectory: '/t' }, 2, 2), {
    memoryLimit: '1073MB',
    threads: 3,
    tempDirectory: '/t',
  });
  assert.deepEqual(
    engineShare({ memoryLimit: '100MB' }, 4, 2),
    { memoryLimit: '64MB', threads: 1 },
    'never below 64 MB and one thread',
  );
  assert.deepEqual(engineShare({ memoryLimit: '1.5 GB' }, 3, 2), { memoryLimit: '500MB', threads: 1 });
  const alone = { memoryLimit: '1200MB' };
  assert.equal(engineShare(alone, 1, 8), alone, 'one instance keeps the whole budget');
});
