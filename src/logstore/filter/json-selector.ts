import type { JsonPath } from './prefilter.js';
import { invalidPattern, type Scanner } from './scanner.js';

/**
 * JSON property selectors: `$` is the root, `.name` a property, `[n]` an array element
 * (`$.eventType`, `$.users[0].id`, `$.coordinates[0][1]`). The guide allows letters, digits, `-`
 * and `_` in names; other characters that cannot be mistaken for pattern syntax (or break a
 * store's JSON path quoting: no quotes or backslashes) are allowed too.
 */

const NAME = /[^\s.[\]()=!<>&|{}"%,*$\\]/;

/** Reads a selector at the scanner's position. */
export function readSelector(scanner: Scanner): JsonPath {
  if (!scanner.take('$')) throw invalidPattern();
  const path: Array<string | number> = [];
  const text = scanner.text;
  for (;;) {
    const c = text[scanner.pos];
    if (c === '.') {
      let end = scanner.pos + 1;
      while (end < text.length && NAME.test(text[end]!)) end++;
      if (end === scanner.pos + 1) throw invalidPattern();
      path.push(text.slice(scanner.pos + 1, end));
      scanner.pos = end;
    } else if (c === '[') {
      const match = /^\[(\d+)\]/.exec(text.slice(scanner.pos));
      if (!match) throw invalidPattern();
      path.push(Number(match[1]));
      scanner.pos += match[0].length;
    } else break;
  }
  if (path.length === 0) throw invalidPattern();
  return path;
}

/** The value at `path` in a parsed document, or undefined when there is none. */
export function resolve(document: unknown, path: JsonPath): unknown {
  let node = document;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(node) || step >= node.length) return undefined;
      node = node[step];
    } else {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
      if (!Object.hasOwn(node, step)) return undefined;
      node = (node as Record<string, unknown>)[step];
    }
  }
  return node;
}
