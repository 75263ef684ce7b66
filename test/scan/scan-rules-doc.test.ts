/** Every finding links to docs/scan-rules.md#<rule>: each rule must have its section there. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCAN_RULES } from '../../cli/scan/index';
import { docsOf } from '../../cli/scan/rules/rule';

const DOC = resolve(import.meta.dirname, '../../docs/scan-rules.md');

describe('docs/scan-rules.md', () => {
  it.each(SCAN_RULES.map((rule) => [rule.id, rule] as const))(
    'has a section for %s, stating its severity in the summary table',
    async (id, rule) => {
      const text = await readFile(DOC, 'utf8');
      expect(docsOf(id)).toBe(`docs/scan-rules.md#${id}`);
      expect(text.split('\n')).toContain(`## ${id}`);
      // Table cells are padded by the formatter: split the row instead of matching spaces.
      const row = text
        .split('\n')
        .find((line) => line.startsWith(`| [\`${id}\`](#${id})`))
        ?.split('|')
        .map((cell) => cell.trim());
      expect(row?.slice(2, 4)).toEqual([rule.severity, rule.heuristic ? 'yes' : 'no']);
    },
  );
});
