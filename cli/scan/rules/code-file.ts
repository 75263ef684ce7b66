import { SourceFile } from '../source-file';
import type { Finding } from '../types';
import type { Syntax } from './balanced';

const JS_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.tsx', '.jsx', '.mts', '.cts']);

/** The code a rule reads in a file, and how to put its findings back on the file's own lines. */
export interface CodeFile {
  readonly file: SourceFile;
  readonly syntax: Syntax;
  /** Findings on `file` as findings on the scanned file (identity except for notebooks). */
  readonly place: (findings: Finding[]) => Finding[];
}

const identity = (findings: Finding[]): Finding[] => findings;

interface NotebookCell {
  readonly cell_type?: unknown;
  readonly source?: unknown;
  readonly input?: unknown;
}

function cellsOf(notebook: unknown): readonly NotebookCell[] {
  if (typeof notebook !== 'object' || notebook === null) return [];
  const nb = notebook as { cells?: unknown; worksheets?: unknown };
  if (Array.isArray(nb.cells)) return nb.cells as NotebookCell[];
  // nbformat 3 kept cells in worksheets.
  if (Array.isArray(nb.worksheets)) {
    return (nb.worksheets as { cells?: unknown }[]).flatMap((w) =>
      Array.isArray(w?.cells) ? (w.cells as NotebookCell[]) : [],
    );
  }
  return [];
}

function isPythonNotebook(notebook: unknown): boolean {
  const metadata = (notebook as { metadata?: Record<string, unknown> }).metadata ?? {};
  const spec = metadata.kernelspec as { language?: unknown } | undefined;
  const info = metadata.language_info as { name?: unknown } | undefined;
  const language = spec?.language ?? info?.name ?? 'python';
  return typeof language === 'string' && language.toLowerCase().startsWith('python');
}

function linesOf(source: unknown): string[] {
  if (typeof source === 'string') return source.split('\n');
  if (Array.isArray(source)) {
    return source
      .filter((s): s is string => typeof s === 'string')
      .join('')
      .split('\n');
  }
  return [];
}

/** IPython magics and shell escapes are not Python: kept as comments so lines stay in step. */
const MAGIC = /^(\s*)([!%])/;

/**
 * A notebook's code cells as one Python file, each line mapped to the notebook line that holds it
 * (nbformat writes each source line on a line of its own; a minified notebook maps to line 1).
 */
function notebookCode(file: SourceFile): CodeFile | undefined {
  let notebook: unknown;
  try {
    notebook = JSON.parse(file.text);
  } catch {
    return undefined;
  }
  if (!isPythonNotebook(notebook)) return undefined;
  const cells = cellsOf(notebook);
  const sourceLines: number[] = [];
  const marker = /^\s*"(?:source|input)"\s*:/;
  for (let line = 1; line <= file.lineCount; line += 1) {
    if (marker.test(file.lineText(line))) sourceLines.push(line);
  }
  const aligned = sourceLines.length === cells.length;
  const code: string[] = [];
  const map: number[] = [];
  cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    const start = aligned ? (sourceLines[i] ?? 1) : 1;
    const inline = aligned && !/\[\s*$/.test(file.lineText(start));
    linesOf(cell.source ?? cell.input).forEach((text, j) => {
      code.push(text.replace(MAGIC, '$1#'));
      map.push(aligned ? (inline ? start : start + 1 + j) : 1);
    });
    // A blank line between cells keeps one cell's unclosed bracket from reading into the next.
    code.push('');
    map.push(map.at(-1) ?? 1);
  });
  if (code.length === 0) return undefined;
  const virtual = new SourceFile(file.path, code.join('\n'));
  return {
    file: virtual,
    syntax: 'python',
    place: (findings) =>
      findings.map(({ column: _column, ...finding }) => ({ ...finding, line: map[finding.line - 1] ?? 1 })),
  };
}

const codeFiles = new WeakMap<SourceFile, CodeFile | null>();

/**
 * The JS/TS or Python code of a scanned file: the file itself, or the code cells of a Jupyter
 * notebook. Undefined for other files, type declarations and minified bundles.
 */
export function codeFileOf(file: SourceFile): CodeFile | undefined {
  const cached = codeFiles.get(file);
  if (cached !== undefined) return cached ?? undefined;
  let result: CodeFile | undefined;
  const name = file.baseName.toLowerCase();
  if (/\.d\.[mc]?ts$/.test(name) || /\.min\.[mc]?js$/.test(name)) result = undefined;
  else if (JS_EXTENSIONS.has(file.extension)) result = { file, syntax: 'js', place: identity };
  else if (file.extension === '.py') result = { file, syntax: 'python', place: identity };
  else if (file.extension === '.ipynb') result = notebookCode(file);
  codeFiles.set(file, result ?? null);
  return result;
}

/**
 * Test files: under `test/`, `tests/`, `__tests__/`, `spec/`, `e2e/`, fixtures; `*.test.*`,
 * `*.spec.*`; and `test_*.py` / `*_test.py` / conftest.py when they hold tests (pytest, unittest,
 * asserts): example scripts are often named `openai_test.py` and are no tests.
 */
export function isTestFile(file: SourceFile): boolean {
  const lower = file.path.toLowerCase();
  if (/(?:^|\/)(?:tests?|__tests__|spec|specs|e2e|__mocks__|fixtures?)\//.test(lower)) return true;
  const name = lower.slice(lower.lastIndexOf('/') + 1);
  if (/\.(?:test|spec|e2e)\.[cm]?[jt]sx?$/.test(name)) return true;
  if (/^test_.*\.py$/.test(name) || /_test\.py$/.test(name) || name === 'conftest.py') {
    return /\bdef test_|\bimport pytest\b|\bfrom pytest\b|\bunittest\b|^\s*assert\b/m.test(file.text);
  }
  return false;
}

/** "OpenRouter" as a word of the code, not as part of this tool's own name or suppression comments. */
export const MENTIONS_OPENROUTER = /openrouter(?!-audit)/i;
