import { describe, expect, it } from 'vitest';
import { hardcodedKeyRule } from '../../../cli/scan/rules/hardcoded-key';
import { SourceFile } from '../../../cli/scan/source-file';
import { EXAMPLE_KEYS } from '../corpus';
import { fakeKey } from '../fixture-tree';

const KEY = fakeKey();
const check = (path: string, text: string) =>
  hardcodedKeyRule.check(new SourceFile(path, text)).map(({ line, column }) => ({ line, column }));

describe('hardcoded-key', () => {
  it.each([
    ['a key in TypeScript', 'src/a.ts', `const k = '${KEY}';`, [{ line: 1, column: 12 }]],
    ['a key in YAML config', 'deploy/values.yaml', `openrouter:\n  key: ${KEY}\n`, [{ line: 2, column: 8 }]],
    ['a key in upper case', 'a.json', `{"k": "${KEY.toUpperCase()}"}`, [{ line: 1, column: 8 }]],
    [
      'two keys on one line',
      'a.py',
      `A, B = "${KEY}", "${fakeKey('cd')}"`,
      [
        { line: 1, column: 9 },
        { line: 1, column: 86 },
      ],
    ],
    ['a key followed by more hex', 'a.txt', `${KEY}ff`, [{ line: 1, column: 1 }]],
    ['a masked label', 'a.md', 'key: sk-or-v1-abc...123', []],
    ['63 hex digits', 'a.md', `sk-or-v1-${'d'.repeat(63)}`, []],
    ['a key with a non-hex digit', 'a.md', `sk-or-v1-${'a'.repeat(63)}g`, []],
    ['a key in an env file (its own rule)', '.env', `OPENROUTER_API_KEY=${KEY}`, []],
  ])('%s', (_, path, text, expected) => {
    expect(check(path, text)).toEqual(expected);
  });

  it('masks the key in the excerpt and tells the reader to revoke it', () => {
    const [finding] = hardcodedKeyRule.check(new SourceFile('a.ts', `const k = '${KEY}';`));
    expect(finding?.excerpt).toBe("const k = 'sk-or-v1-aba...bab';");
    expect(finding?.message).toMatch(/revoke/);
    expect(JSON.stringify(finding)).not.toContain(KEY);
  });
  it('reports an example key that runs on into more hex as a leak, not as the example', () => {
    const [example = ''] = EXAMPLE_KEYS;
    const rules = (text: string) => hardcodedKeyRule.check(new SourceFile('a.md', text)).map((f) => f.rule);
    expect(rules(`key: ${example}`)).toEqual(['example-key']);
    expect(rules(`key: ${example}f`)).toEqual(['hardcoded-key']);
  });
});
