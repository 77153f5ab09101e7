import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topologicalOrder } from './graph.ts';
import { ShoplakeError } from '../errors/index.ts';

test('dependencies come before their dependents', () => {
  const order = topologicalOrder(
    [
      { name: 'c', dependsOn: ['b'] },
      { name: 'b', dependsOn: ['a', 'src'] },
      { name: 'a', dependsOn: [] },
    ],
    new Set(['src']),
  ).map((n) => n.name);
  assert.deepEqual(order, ['a', 'b', 'c']);
});

test('a cycle is rejected with its path', () => {
  assert.throws(
    () =>
      topologicalOrder([
        { name: 'a', dependsOn: ['b'] },
        { name: 'b', dependsOn: ['c'] },
        { name: 'c', dependsOn: ['a'] },
      ]),
    (e: unknown) => e instanceof ShoplakeError && e.code === 'graph_cycle' && e.message.includes('a -> b -> c -> a'),
  );
});

test('an unknown dependency is rejected naming both ends', () => {
  assert.throws(
    () => topologicalOrder([{ name: 'a', dependsOn: ['ghost'] }]),
    (e: unknown) =>
      e instanceof ShoplakeError &&
      e.code === 'graph_unknown_dependency' &&
      e.message.includes('"a" depends on "ghost"'),
  );
});
