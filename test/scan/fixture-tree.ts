/**
 * Fixture trees for the scan tests, built at run time in the system temp folder: no key-shaped
 * string is ever committed (CI's secret scan would fail on it), and snippets that would trip the
 * scan itself are written with a `%` that `code()` removes, so this repository scans clean.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** An obviously fake key of the real shape, built at run time. */
export const fakeKey = (pair = 'ab'): string => `sk-or-v1-${pair.repeat(32)}`;

/** Fixture text with the `%` markers removed: `create%(` → `create(`, `http:%//` → `http://`. */
export const code = (text: string): string => text.replaceAll('%(', '(').replace(/(http):%\/\//gi, '$1://');

/** A file's content, or a symlink to another path in the tree. */
export type FixtureEntry = string | Buffer | { readonly symlinkTo: string };

const created: string[] = [];
const WRITE_BATCH = 64;

/** Writes the files under a fresh temp folder and returns its path. */
export async function makeTree(files: Readonly<Record<string, FixtureEntry>>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'or-scan-'));
  created.push(root);
  const entries = Object.entries(files).map(([path, entry]) => [join(root, path), entry] as const);
  const folders = new Set(entries.map(([absolute]) => dirname(absolute)));
  await Promise.all([...folders].map((folder) => mkdir(folder, { recursive: true })));
  // Written in batches: thousands of files at once would run into the open-files limit.
  for (let i = 0; i < entries.length; i += WRITE_BATCH) {
    await Promise.all(
      entries
        .slice(i, i + WRITE_BATCH)
        .map(([absolute, entry]) =>
          typeof entry === 'string' || Buffer.isBuffer(entry)
            ? writeFile(absolute, entry)
            : symlink(join(root, entry.symlinkTo), absolute),
        ),
    );
  }
  return root;
}

/** Removes every tree made so far (call from afterEach/afterAll). */
export async function removeTrees(): Promise<void> {
  const roots = created.splice(0);
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
}
