/**
 * The labelled corpus under test/scan/corpus: small projects written like the public repositories
 * that call OpenRouter (Python and JS/TS bots, LangChain apps, notebooks, an SDK, docs sites), with
 * every expected finding labelled on its line by an `expect: rule[, rule]` comment.
 *
 * Files are stored as `<path>.fixture` so that this repository's own tools (scan, lint, typecheck)
 * do not read them as code; a path segment `dot-x` stands for `.x` (`.env`, `.github`). Contents
 * hold no key-shaped string: `{{KEY:ab}}` becomes an obviously fake key built at run time and
 * `{{EXAMPLE_KEY:n}}` one of OpenRouter's published example keys, and `http:%//` is `http://`.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { code, fakeKey, makeTree } from './fixture-tree';

export const CORPUS_DIR = join(import.meta.dirname, 'corpus');

/**
 * OpenRouter's published example keys (API reference: POST /auth/keys, POST /keys; SDK reference:
 * GET /key's label), assembled here so that no key-shaped string is committed.
 */
export const EXAMPLE_KEYS: readonly string[] = [
  `sk-or-v1-${'0e6f44a47a05f1dad2ad7e88c4c1d6b7'}${'7688157716fb1a5271146f7464951c96'}`,
  `sk-or-v1-${'d3558566a246d57584c29dd02393d4a5'}${'324c7575ed9dd44d743fe1037e0b855d'}`,
  `sk-or-v1-${'au78b3456789'}${'012345678901234567890'}`,
];

export interface CorpusFile {
  /** Path inside its project, with real names (`.env`, `.github/workflows/ci.yml`). */
  readonly path: string;
  readonly text: string;
}

export interface Expected {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
}

async function listFixtures(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listFixtures(path)));
    else if (entry.name.endsWith('.fixture')) found.push(path);
  }
  return found;
}

const realPath = (stored: string): string =>
  stored
    .slice(0, -'.fixture'.length)
    .split('/')
    .map((part) => (part.startsWith('dot-') ? `.${part.slice('dot-'.length)}` : part))
    .join('/');

const expand = (text: string): string =>
  code(text)
    .replace(/\{\{KEY:([0-9a-f]{2})\}\}/g, (_, pair: string) => fakeKey(pair))
    .replace(/\{\{EXAMPLE_KEY:(\d)\}\}/g, (_, n: string) => EXAMPLE_KEYS[Number(n) - 1] ?? '');

/** Every project of the corpus, by name, with its files' real paths and contents. */
export async function loadCorpus(): Promise<Map<string, CorpusFile[]>> {
  const projects = new Map<string, CorpusFile[]>();
  for (const absolute of (await listFixtures(CORPUS_DIR)).sort()) {
    const [project = '', ...rest] = relative(CORPUS_DIR, absolute).split('/');
    const files = projects.get(project) ?? [];
    files.push({ path: realPath(rest.join('/')), text: expand(await readFile(absolute, 'utf8')) });
    projects.set(project, files);
  }
  return projects;
}

const LABEL = /expect:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/;

/** The labelled findings of a project's files. */
export function expectedFindings(files: readonly CorpusFile[]): Expected[] {
  const expected: Expected[] = [];
  for (const file of files) {
    file.text.split('\n').forEach((line, index) => {
      const label = LABEL.exec(line)?.[1];
      if (label === undefined) return;
      for (const rule of label.split(','))
        expected.push({ file: file.path, line: index + 1, rule: rule.trim() });
    });
  }
  return expected;
}

/**
 * Writes a project to a temp folder. A project with a .gitignore becomes a git work tree (files
 * untracked, as in a fresh clone with local files), so that the scan reads it the way git would.
 */
export async function materialize(files: readonly CorpusFile[]): Promise<string> {
  const root = await makeTree({});
  for (const file of files) {
    const absolute = join(root, file.path);
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, file.text);
  }
  if (files.some((file) => file.path === '.gitignore')) {
    execFileSync('git', ['init', '--quiet', root], { stdio: 'ignore' });
  }
  return root;
}
