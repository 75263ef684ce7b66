import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUNBOOK } from '../../lambda/engine/runbooks';

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');

describe('runbook links', () => {
  const text = readFileSync(new URL('../../docs/runbooks.md', import.meta.url), 'utf8');
  const anchors = new Set(
    text
      .split('\n')
      .filter((line) => line.startsWith('## '))
      .map((line) => anchorOf(line.slice(3))),
  );

  it.each(Object.entries(RUNBOOK))(
    'points %s at a section that exists in docs/runbooks.md',
    (_name, link) => {
      const [file, anchor] = link.split('#');
      expect(file).toBe('docs/runbooks.md');
      expect([...anchors]).toContain(anchor);
    },
  );
});
