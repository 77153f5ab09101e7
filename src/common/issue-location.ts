import { isMap, isNode, isScalar, type Document, type LineCounter } from 'yaml';

/** A schema's complaint about one field (zod's issue, as far as it is read here). */
export interface FieldIssue {
  path: readonly PropertyKey[];
  message: string;
  code: string;
  keys?: readonly string[];
}

/** The YAML (or JSON) document the values came from, parsed with positions. */
export interface LocatedSource {
  doc: Document;
  lines: LineCounter;
}

/**
 * The issues as one line: `line L, column C: field.path: message` for each, `; `-separated.
 * Without a source, or for a field `fromElsewhere` says was not read from it (a
 * command-line value), the location is left out.
 */
export function describeIssues(
  issues: readonly FieldIssue[],
  source?: LocatedSource,
  fromElsewhere: (path: readonly PropertyKey[]) => boolean = () => false,
): string {
  return issues
    .map((i) => {
      const unknownKey = i.code === 'unrecognized_keys' ? i.keys?.[0] : undefined;
      const where =
        source && !fromElsewhere(i.path) ? issueLocation(source.doc, source.lines, i.path, unknownKey) : undefined;
      return `${where ? `${where}: ` : ''}${i.path.join('.') || '(root)'}: ${i.message}`;
    })
    .join('; ');
}

/**
 * Where in the file the field at `path` is written, as `line L, column C`: the
 * value's own node, else the key that holds it (`key` names an unknown key of a map), else
 * the nearest enclosing field that is written. Undefined when none of it is in the file
 * (a default, or a command-line override).
 */
function issueLocation(
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
