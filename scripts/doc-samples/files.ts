import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The Markdown files that may hold sample blocks or relative links: README.md and docs/*.md. */
export async function docFiles(root: string): Promise<string[]> {
  const docs = (await readdir(join(root, 'docs'))).filter((name) => name.endsWith('.md')).sort();
  return [join(root, 'README.md'), ...docs.map((name) => join(root, 'docs', name))];
}
