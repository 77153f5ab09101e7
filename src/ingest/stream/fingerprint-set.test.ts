import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { FingerprintSet } from './fingerprint-set.ts';

test('fingerprints added are found after growing many times; others are not; (0, 0) and repeats are kept once', () => {
  const set = new FingerprintSet(4);
  const words = new Uint32Array(randomBytes(8 * 50_000).buffer);
  for (let i = 0; i < words.length; i += 2) set.add(words[i]!, words[i + 1]!);
  set.add(0, 0);
  set.add(words[0]!, words[1]!);
  assert.equal(set.size, 50_001);
  for (let i = 0; i < words.length; i += 2) assert.ok(set.has(words[i]!, words[i + 1]!), `fingerprint ${i / 2}`);
  assert.ok(set.has(0, 0));
  const others = new Uint32Array(randomBytes(8 * 10_000).buffer);
  let found = 0;
  for (let i = 0; i < others.length; i += 2) if (set.has(others[i]!, others[i + 1]!)) found++;
  assert.equal(found, 0, 'random fingerprints not added are not found');
  assert.ok(
    set.bytes <= ((50_001 * 8) / 0.35) * 1.5,
    `at most 65% empty after doubling, with the table it moves from (${set.bytes} bytes)`,
  );
  // In the middle of a doubling: everything is found in one table or the other, and the size holds.
  const moving = new FingerprintSet(16);
  const n = Math.floor(16 * 0.7);
  for (let i = 1; i <= n + 3; i++) moving.add(i, (i * 2654435761) >>> 0);
  assert.equal(moving.size, n + 3);
  for (let i = 1; i <= n + 3; i++)
    assert.ok(moving.has(i, (i * 2654435761) >>> 0), `entry ${i} while the table doubles`);
  // Same high word, low words that share their slot bits: probing goes past each other.
  const crowded = new FingerprintSet(16);
  for (let k = 0; k < 8; k++) crowded.add(7, k << 20);
  for (let k = 0; k < 8; k++) assert.ok(crowded.has(7, k << 20));
  assert.ok(!crowded.has(7, 8 << 20));
});
