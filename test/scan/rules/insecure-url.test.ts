import { describe, expect, it } from 'vitest';
import { insecureUrlRule } from '../../../cli/scan/rules/insecure-url';
import { SourceFile } from '../../../cli/scan/source-file';
import { code } from '../fixture-tree';

const lines = (text: string) =>
  insecureUrlRule.check(new SourceFile('src/a.ts', code(text))).map(({ line, column }) => ({ line, column }));

describe('insecure-url', () => {
  it.each([
    ["base: 'http:%//openrouter.ai/api/v1'", [{ line: 1, column: 8 }]],
    ['HTTP:%//OpenRouter.AI/api', [{ line: 1, column: 1 }]],
    ['see http:%//www.openrouter.ai', [{ line: 1, column: 5 }]],
    ['x\ncurl http:%//api.openrouter.ai/v1/models', [{ line: 2, column: 6 }]],
    ['http:%//openrouter.ai:80/api', [{ line: 1, column: 1 }]],
    ['"http:%//openrouter.ai"', [{ line: 1, column: 2 }]],
    ['https://openrouter.ai/api/v1', []],
    ['http:%//openrouter.ai.example.com/', []],
    ['http:%//notopenrouter.ai/', []],
    ['http://127.0.0.1:8080/api/v1', []],
  ])('%s', (text, expected) => {
    expect(lines(text)).toEqual(expected);
  });
});
