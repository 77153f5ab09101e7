import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShoplakeError } from '../errors/index.ts';
import { selectNodes } from './select-nodes.ts';

const graph = [
  { name: 'a', dependsOn: ['src'] },
  { name: 'b', dependsOn: ['a'] },
  { name: 'c', dependsOn: ['b'] },
  { name: 'd', dependsOn: ['a'] },
  { name: 'e', dependsOn: [] },
];
const names = (selectors: string[]) => selectNodes(graph, selectors).map((n) => n.name);

test('a selection: names, +upstream, downstream+, both, unions; in the graph’s order', () => {
  assert.deepEqual(names([]), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(names(['b']), ['b']);
  assert.deepEqual(names(['b+']), ['b', 'c']);
  assert.deepEqual(names(['+b']), ['a', 'b']);
  assert.deepEqual(names(['+b+']), ['a', 'b', 'c']);
  assert.deepEqual(names(['a+']), ['a', 'b', 'c', 'd']);
  assert.deepEqual(names(['c', 'e']), ['c', 'e']);
  assert.throws(
    () => names(['nope+']),
    (e: unknown) => e instanceof ShoplakeError && e.code === 'bad_option' && /"nope"/.test(e.message),
  );
});
