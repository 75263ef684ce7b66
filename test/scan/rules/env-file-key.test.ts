import { describe, expect, it } from 'vitest';
import { envFileKeyRule } from '../../../cli/scan/rules/env-file-key';
import { SourceFile } from '../../../cli/scan/source-file';
import { fakeKey } from '../fixture-tree';

const KEY = fakeKey();
const check = (path: string, text: string) => envFileKeyRule.check(new SourceFile(path, text));

describe('env-file-key', () => {
  it.each([
    ['.env', `OPENROUTER_API_KEY=${KEY}\n`, [1]],
    ['app/.env.local', `# local\nexport OPENROUTER_API_KEY="${KEY}"\n`, [2]],
    ['.env.production', 'OPENROUTER_KEY=prod-value-7f3a9c\n', [1]],
    ['.env', `OPENAI_API_KEY=sk-or-v1-${'0'.repeat(40)}\n`, [1]],
    ['.env', `# OPENROUTER_API_KEY=${KEY}\n`, [1]],
    ['.env', `OTHER=1\r\nOPENROUTER_API_KEY=${KEY}\r\n`, [2]],
    ['.env.example', `OPENROUTER_API_KEY=${KEY}\n`, [1]],
    ['.env.sample', `OPENROUTER_API_KEY='${KEY}'\n`, [1]],
    ['.env', 'OPENROUTER_API_KEY=\n', []],
    ['.env', 'OPENROUTER_API_KEY=""\n', []],
    ['.env', 'OPENROUTER_API_KEY=<your key>\n', []],
    ['.env', `OPENROUTER_API_KEY=\${OPENROUTER_KEY_FROM_CI}\n`, []],
    ['.env', 'OPENROUTER_API_KEY=sk-or-v1-...\n', []],
    ['.env', 'OPENROUTER_API_KEY=your-key-here\n', []],
    ['.env', 'OPENROUTER_BASE_URL=https://openrouter.ai/api/v1\n', []],
    ['.env.example', 'OPENROUTER_API_KEY=prod-value-7f3a9c\n', []],
    ['.env.template', 'OPENROUTER_API_KEY=sk-or-v1-abc...123\n', []],
    ['config.env', `OPENROUTER_API_KEY=${KEY}\n`, []],
    ['.envrc', `export OPENROUTER_API_KEY=${KEY}\n`, []],
    ['.env', `OPENAI_API_KEY=sk-or-v1-${'0A'.repeat(20)}\n`, [1]],
    ['.env.sample', 'OPENROUTER_API_KEY=prod-value-7f3a9c\n', []],
  ])('%s holding %j: flags lines %j', (path, text, expected) => {
    expect(check(path, text).map((finding) => finding.line)).toEqual(expected);
  });

  it('prints the variable with a masked key, never the key', () => {
    const [finding] = check('.env', `OPENROUTER_API_KEY="${KEY}" # main key\n`);
    expect(finding).toMatchObject({
      rule: 'env-file-key',
      file: '.env',
      line: 1,
      excerpt: 'OPENROUTER_API_KEY=sk-or-v1-aba...bab',
      heuristic: false,
    });
  });

  it('prints a named value that is not key-shaped as stars', () => {
    const [finding] = check('.env.production', 'OPENROUTER_KEY=prod-value-7f3a9c\n');
    expect(finding?.excerpt).toBe('OPENROUTER_KEY=***');
  });

  it('masks a commented-out key in the excerpt', () => {
    const [finding] = check('.env', `# old: ${KEY}\n`);
    expect(finding?.excerpt).toBe('# old: sk-or-v1-aba...bab');
    expect(finding?.column).toBe('# old: '.length + 1);
  });
});
