/** Which comment and string syntax to honour while matching brackets. */
export type Syntax = 'js' | 'python';

/** The text inside one pair of brackets. */
export interface BalancedText {
  /** Offset just past the closing bracket, or the end of the window when it never closed. */
  readonly end: number;
  /** False when the window ran out (or the file ended) before the closing bracket. */
  readonly complete: boolean;
  /** Everything between the brackets, comments removed, strings kept. */
  readonly code: string;
  /** The top-level comma-separated parts of `code`, trimmed (the call's arguments). */
  readonly parts: readonly string[];
}

/** Longest bracket content read, so a stray bracket cannot make one call swallow the whole file. */
export const DEFAULT_WINDOW = 8_000;

const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set([')', ']', '}']);

/** End of the string starting at `start` (offset just past its closing quote), read no further than `limit`. */
export function stringEnd(text: string, start: number, limit: number, syntax: Syntax): number {
  const quote = text[start] ?? '';
  const triple = syntax === 'python' && text.startsWith(quote.repeat(3), start);
  const closing = triple ? quote.repeat(3) : quote;
  // JS template literals and Python triple-quoted strings may span lines; other strings end at a break.
  const multiline = triple || quote === '`';
  let i = start + closing.length;
  while (i < limit) {
    const ch = text[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (!multiline && ch === '\n') return i;
    if (text.startsWith(closing, i)) return i + closing.length;
    i += 1;
  }
  return limit;
}

/**
 * Reads from the bracket at `openIndex` to its match, skipping brackets inside strings and comments.
 * A heuristic reader, not a parser: regex literals and nested template literals are not understood,
 * which at worst makes it read a little too much or too little of one call.
 */
export function readBalanced(
  text: string,
  openIndex: number,
  syntax: Syntax,
  window = DEFAULT_WINDOW,
): BalancedText {
  const first = OPENERS[text[openIndex] ?? ''];
  const stack: string[] = first === undefined ? [] : [first];
  const limit = Math.min(text.length, openIndex + 1 + window);
  const parts: string[] = [];
  let code = '';
  let part = '';
  let i = openIndex + 1;
  while (i < limit && stack.length > 0) {
    const ch = text[i] ?? '';
    const next = text[i + 1] ?? '';
    if (ch === '"' || ch === "'" || (ch === '`' && syntax === 'js')) {
      const end = stringEnd(text, i, limit, syntax);
      const literal = text.slice(i, end);
      code += literal;
      part += literal;
      i = end;
      continue;
    }
    if ((syntax === 'js' && ch === '/' && next === '/') || (syntax === 'python' && ch === '#')) {
      const end = text.indexOf('\n', i);
      i = end === -1 || end > limit ? limit : end;
      continue;
    }
    if (syntax === 'js' && ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 || end + 2 > limit ? limit : end + 2;
      continue;
    }
    const closer = OPENERS[ch];
    if (closer !== undefined) stack.push(closer);
    else if (CLOSERS.has(ch)) {
      // A mismatched closer still closes the innermost bracket: the reader stays in step.
      stack.pop();
      if (stack.length === 0) {
        i += 1;
        break;
      }
    } else if (ch === ',' && stack.length === 1) {
      parts.push(part.trim());
      part = '';
      code += ch;
      i += 1;
      continue;
    }
    code += ch;
    part += ch;
    i += 1;
  }
  if (part.trim() !== '') parts.push(part.trim());
  return { end: i, complete: stack.length === 0, code, parts };
}
