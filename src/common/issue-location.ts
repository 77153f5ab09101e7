import { isMap, isNode, isScalar, type Document, type LineCounter } from 'yaml';

/**
 * Where in the config file the field at `path` is written, as `line L, column C`: the
 * value's own node, else the key that holds it (`key` names an unknown key of a map), else
 * the nearest enclosing field that is written. Undefined when none of it is in the file
 * (a default, or a command-line override).
 */
export function issueLocation(
  doc: Document,
  lines: LineCounter,
  path: readonly PropertyKey[],
  key?: string,
): string | undefined {
  for (let n = path.length; n >= 0; n--) {
    const at = path.slice(0, n);
    const node = at.length ? doc.getIn(at, true) : doc.contents;
    if (!isNode(node) || !node.range) continue;
    let offset = node.range[0];
    if (n === path.length && key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
    }
    const { line, col } = lines.linePos(offset);
    return `line ${line}, column ${col}`;
  }
  return undefined;
}
