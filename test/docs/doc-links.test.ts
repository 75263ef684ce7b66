/** Every relative link of README.md and docs/*.md leads somewhere: a file that exists, a heading that exists. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docFiles } from '../../scripts/doc-samples/files';
import { headingAnchors, relativeLinks } from './markdown-links';

const ROOT = resolve(import.meta.dirname, '../..');

/** "file:line → target: why" for each link of `file` that leads nowhere. */
function brokenLinks(file: string, text: string, read: (path: string) => string | null): string[] {
  const broken: string[] = [];
  for (const { line, target } of relativeLinks(text)) {
    const [path = '', anchor] = target.split('#', 2);
    const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    const where = `${relative(ROOT, file)}:${line} → ${target}`;
    const content = path === '' ? text : read(resolved);
    if (content === null && !(path !== '' && existsSync(resolved))) {
      broken.push(`${where}: no such file`);
    } else if (anchor !== undefined && resolved.endsWith('.md') && content !== null) {
      if (!headingAnchors(content).has(anchor)) broken.push(`${where}: no heading with that anchor`);
    }
  }
  return broken;
}

const readIfFile = (path: string): string | null =>
  existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : null;

describe('links in README.md and docs/', () => {
  it('lead to files and headings that exist', async () => {
    const files = await docFiles(ROOT);
    const broken = files.flatMap((file) => brokenLinks(file, readFileSync(file, 'utf8'), readIfFile));
    expect(broken).toEqual([]);
  });

  it('are read as GitHub renders them', () => {
    const doc = [
      '# Deploy to AWS',
      '## 5. Cost',
      '## Operate: metrics, alerts, alarms',
      'See [cost](#5-cost), [operate](#operate-metrics-alerts-alarms) and [gone](#6-tear-down),',
      '[the runbooks](runbooks.md#credit-exhaustion), [a wrapped',
      'link](nowhere.md) and [a site](https://example.com).',
      '```',
      '[in code](missing.md)',
      '```',
    ].join('\n');
    const files: Record<string, string> = { [resolve(ROOT, 'docs/runbooks.md')]: '## Credit exhaustion\n' };
    const broken = brokenLinks(resolve(ROOT, 'docs/deploy.md'), doc, (path) => files[path] ?? null);
    expect(broken).toEqual([
      'docs/deploy.md:4 → #6-tear-down: no heading with that anchor',
      'docs/deploy.md:6 → nowhere.md: no such file',
    ]);
  });
});
