import type { SourceFile } from '../source-file';
import { type Syntax, stringEnd } from './balanced';

/**
 * Where a JS/TS or Python file holds strings and comments, and where its `{}` blocks are. A light
 * lexer, not a parser: enough to tell a call from text that merely looks like one
 * (`describe('chat.send() - Non-streaming', …)`), and to know which function a name belongs to.
 */
export interface CodeView {
  /** Sorted, disjoint [start, end) ranges of strings and comments, flattened: s0, e0, s1, e1… */
  readonly inert: readonly number[];
  /** JS only: [open, close] offsets of every `{}` block, in order of their opening brace. */
  readonly blocks: readonly (readonly [number, number])[];
}

/** Characters after which a `/` starts a regular expression rather than a division. */
const REGEX_PRECEDERS = new Set([
  '',
  '(',
  ',',
  '=',
  ':',
  '[',
  '!',
  '&',
  '|',
  '?',
  '{',
  '}',
  ';',
  '+',
  '-',
  '*',
  '%',
  '<',
  '>',
  '~',
  '^',
]);

function regexEnd(text: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === '\n') return i;
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    else if (ch === '/' && !inClass) return i + 1;
    i += 1;
  }
  return text.length;
}

function previousSignificant(text: string, index: number): string {
  let i = index - 1;
  while (i >= 0 && /\s/.test(text[i] ?? '')) i -= 1;
  if (i < 0) return '';
  const ch = text[i] ?? '';
  // `return /x/`, `typeof /x/`: a keyword before the slash also starts a regex.
  if (/[\w$]/.test(ch)) {
    const word = /[\w$]+$/.exec(text.slice(Math.max(0, i - 10), i + 1))?.[0] ?? '';
    return ['return', 'typeof', 'case', 'in', 'of', 'yield', 'await'].includes(word) ? '' : ch;
  }
  return ch;
}

export function lex(text: string, syntax: Syntax): CodeView {
  const inert: number[] = [];
  const blocks: [number, number][] = [];
  const open: number[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === '"' || ch === "'" || (ch === '`' && syntax === 'js')) {
      const end = stringEnd(text, i, text.length, syntax);
      inert.push(i, end);
      i = end;
      continue;
    }
    if (syntax === 'python' && ch === '#') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      inert.push(i, stop);
      i = stop;
      continue;
    }
    if (syntax === 'js' && ch === '/') {
      const next = text[i + 1];
      if (next === '/') {
        const end = text.indexOf('\n', i);
        const stop = end === -1 ? text.length : end;
        inert.push(i, stop);
        i = stop;
        continue;
      }
      if (next === '*') {
        const end = text.indexOf('*/', i + 2);
        const stop = end === -1 ? text.length : end + 2;
        inert.push(i, stop);
        i = stop;
        continue;
      }
      if (REGEX_PRECEDERS.has(previousSignificant(text, i))) {
        const end = regexEnd(text, i);
        inert.push(i, end);
        i = end;
        continue;
      }
    }
    if (syntax === 'js') {
      if (ch === '{') open.push(i);
      else if (ch === '}') {
        const start = open.pop();
        if (start !== undefined) blocks.push([start, i]);
      }
    }
    i += 1;
  }
  for (const start of open) blocks.push([start, text.length]);
  blocks.sort((a, b) => a[0] - b[0]);
  return { inert, blocks };
}

const views = new WeakMap<SourceFile, CodeView>();

/** The file's code view, computed once per file whichever rule asks first. */
export function codeView(file: SourceFile, syntax: Syntax): CodeView {
  let view = views.get(file);
  if (view === undefined) {
    view = lex(file.text, syntax);
    views.set(file, view);
  }
  return view;
}

/** True when `offset` lies inside a string or a comment. */
export function isInert(view: CodeView, offset: number): boolean {
  const { inert } = view;
  let low = 0;
  let high = inert.length / 2 - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const start = inert[mid * 2] ?? 0;
    const end = inert[mid * 2 + 1] ?? 0;
    if (offset < start) high = mid - 1;
    else if (offset >= end) low = mid + 1;
    else return true;
  }
  return false;
}
