import type { SourceFile } from '../source-file';
import type { Syntax } from './balanced';
import { codeView } from './lexer';

/** A [start, end) range of the file a name defined in it is visible in. */
export type Scope = readonly [start: number, end: number];

/** JS: the innermost `{}` block around the offset (block scoping of const/let), else the file. */
function jsScope(file: SourceFile, offset: number): Scope {
  let best: Scope = [0, file.text.length];
  for (const [open, close] of codeView(file, 'js').blocks) {
    // A block opening at the offset itself is the defined literal, not a scope around it.
    if (open >= offset) break;
    if (close >= offset && open >= best[0]) best = [open, close + 1];
  }
  return best;
}

const indentOf = (line: string): number => /^[ \t]*/.exec(line)?.[0].length ?? 0;
const DEFINITION_LINE = /^\s*(?:async\s+def|def|class)\b/;

/**
 * Python: the body of the innermost `def` or `class` around the offset (names assigned in a
 * function are local to it; `if` and `for` blocks do not scope), else the module.
 */
function pythonScope(file: SourceFile, offset: number): Scope {
  const { line } = file.position(offset);
  const own = file.lineText(line);
  let indent = indentOf(own);
  if (indent === 0) return [0, file.text.length];
  let headerLine = 0;
  for (let l = line - 1; l >= 1; l -= 1) {
    const text = file.lineText(l);
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    const i = indentOf(text);
    if (i < indent) {
      if (DEFINITION_LINE.test(text)) {
        headerLine = l;
        indent = i;
        break;
      }
      indent = i;
      if (i === 0) break;
    }
  }
  if (headerLine === 0) return [0, file.text.length];
  const start = file.offsetOfLine(headerLine);
  const total = file.lineCount;
  for (let l = headerLine + 1; l <= total; l += 1) {
    const text = file.lineText(l);
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    if (indentOf(text) <= indent) return [start, file.offsetOfLine(l)];
  }
  return [start, file.text.length];
}

/** The scope a name defined at `offset` is visible in. */
export function scopeAt(file: SourceFile, syntax: Syntax, offset: number): Scope {
  return syntax === 'js' ? jsScope(file, offset) : pythonScope(file, offset);
}

/** True when the scope is the whole file (a module-level name, importable elsewhere). */
export function isModuleScope(file: SourceFile, scope: Scope): boolean {
  return scope[0] === 0 && scope[1] === file.text.length;
}

/**
 * Of the definitions of one name (their offsets), the one a use at `use` sees: among those whose
 * scope holds the use, those of the innermost scope; of those the last one before the use, or
 * failing that the first one after it (a function defined above the constant it reads).
 */
export function visibleDefinition(
  file: SourceFile,
  syntax: Syntax,
  definitions: readonly number[],
  use: number,
): number | undefined {
  let innermost = -1;
  const visible: { at: number; start: number }[] = [];
  for (const at of definitions) {
    const [start, end] = scopeAt(file, syntax, at);
    if (use < start || use >= end) continue;
    visible.push({ at, start });
    innermost = Math.max(innermost, start);
  }
  const candidates = visible.filter((v) => v.start === innermost).map((v) => v.at);
  const before = candidates.filter((at) => at < use);
  return before.length > 0
    ? Math.max(...before)
    : candidates.length > 0
      ? Math.min(...candidates)
      : undefined;
}
