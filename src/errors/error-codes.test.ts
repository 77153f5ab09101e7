import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, isErrorCode } from './error-codes.ts';
import { errorFromJson } from './error-json.ts';
import { ShoplakeError } from './shoplake-error.ts';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const REGISTRY = fileURLToPath(new URL('./error-codes.ts', import.meta.url));

/** Every .ts file under src/ but the tests, with its text. */
function sources(): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
        out.push({ file: path, text: readFileSync(path, 'utf8') });
    }
  };
  walk(SRC);
  return out;
}

const QUOTED = /(['"`])((?:(?!\1)[^\\\n]|\\.)*)\1/g;
const literalsIn = (expr: string): string[] => [...expr.matchAll(QUOTED)].map((m) => m[2]!).filter((s) => s !== '');

/**
 * The codes a file throws (the first argument of `new TerminalError(` / `new TransientError(` /
 * `new ShoplakeError(`, on the same line or the next), sends (`code: ...` in an error object, as
 * in api-error.ts) or prints (`const code = ... ?? 'fallback'`).
 */
function codesIn(text: string): string[] {
  const codes: string[] = [];
  for (const m of text.matchAll(/new\s+(?:TerminalError|TransientError|ShoplakeError)\(\s*(['"`])((?:(?!\1).)*)\1/gs))
    codes.push(m[1] === '`' && m[2]!.includes('${') ? `built: \`${m[2]}\`` : m[2]!);
  for (const m of text.matchAll(/\bcode:\s*([^,}\n]*)/g)) codes.push(...literalsIn(m[1]!));
  for (const m of text.matchAll(/\b(?:const|let)\s+code\s*=\s*([^;]*);/g)) codes.push(...literalsIn(m[1]!));
  return codes;
}

test('every code thrown, sent over HTTP or printed in src/ is registered in ERROR_CODES', () => {
  const unregistered: string[] = [];
  let seen = 0;
  for (const { file, text } of sources()) {
    if (file === REGISTRY) continue;
    for (const code of codesIn(text)) {
      seen++;
      if (!isErrorCode(code)) unregistered.push(`${relative(join(SRC, '..'), file)}: ${code}`);
    }
  }
  assert.ok(seen > 50, `found only ${seen} code literals: has the way errors are thrown changed?`);
  assert.deepEqual(unregistered, [], `codes not in src/errors/error-codes.ts:\n  ${unregistered.join('\n  ')}`);
});

test('every code in ERROR_CODES is used somewhere in src/ (no stale entries)', () => {
  const used = new Set<string>();
  for (const { file, text } of sources()) {
    if (file === REGISTRY) continue;
    for (const code of codesIn(text)) used.add(code);
    for (const m of text.matchAll(QUOTED)) used.add(m[2]!);
  }
  const stale = Object.keys(ERROR_CODES).filter((c) => !used.has(c));
  assert.deepEqual(stale, [], `registered in src/errors/error-codes.ts but used nowhere in src/: ${stale.join(', ')}`);
});

test('each code is snake_case and means one short line', () => {
  for (const [code, meaning] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, code);
    assert.ok(meaning.length > 10 && meaning.length <= 120 && !meaning.includes('\n'), `${code}: "${meaning}"`);
  }
});

test('isErrorCode knows the registered codes only, and errorFromJson falls back to internal for others', () => {
  assert.ok(isErrorCode('home_locked'));
  assert.ok(!isErrorCode('not_a_code'));
  assert.ok(!isErrorCode('toString'));
  assert.ok(!isErrorCode(undefined));
  const known = errorFromJson({
    code: 'home_locked',
    kind: 'transient',
    message: 'busy',
    hint: 'wait',
  }) as ShoplakeError;
  assert.deepEqual([known.code, known.kind, known.message, known.hint], ['home_locked', 'transient', 'busy', 'wait']);
  const unknown = errorFromJson({ code: 'from_a_newer_version', kind: 'terminal', message: 'no', subject: 's' });
  assert.ok(unknown instanceof ShoplakeError);
  assert.deepEqual(
    [unknown.code, unknown.kind, unknown.message, unknown.subject],
    ['internal', 'terminal', '[from_a_newer_version] no', 's'],
  );
});
