import { describe, expect, it } from 'vitest';
import { insecureUrlRule } from '../../../cli/scan/rules/insecure-url';
import { SourceFile } from '../../../cli/scan/source-file';
import { code } from '../fixture-tree';

const lines = (text: string, path = 'src/a.ts') =>
  insecureUrlRule.check(new SourceFile(path, code(text))).map(({ line, column }) => ({ line, column }));

describe('insecure-url', () => {
  it.each([
    ["base: 'http:%//openrouter.ai/api/v1'", [{ line: 1, column: 8 }]],
    ['HTTP:%//OpenRouter.AI/api', [{ line: 1, column: 1 }]],
    ['x\ncurl http:%//api.openrouter.ai/v1/models', [{ line: 2, column: 6 }]],
    ['http:%//openrouter.ai:80/api', [{ line: 1, column: 1 }]],
    ['const OPENROUTER_URL = "http:%//openrouter.ai"', [{ line: 1, column: 25 }]],
    ['baseURL: "http:%//www.openrouter.ai",', [{ line: 1, column: 11 }]],
    // The home page or docs, not an API: a reader's link, no key is sent there.
    ['see http:%//www.openrouter.ai', []],
    ['see http:%//openrouter.ai/docs/api/reference/authentication', []],
    ['headers["HTTP-Referer"] = "http:%//openrouter.ai"', []],
    ['// base_url="http:%//openrouter.ai/api/v1" (the old setting)', []],
    ['https://openrouter.ai/api/v1', []],
    ['http:%//openrouter.ai.example.com/', []],
    ['http:%//notopenrouter.ai/', []],
    ['http://127.0.0.1:8080/api/v1', []],
  ])('%s', (text, expected) => {
    expect(lines(text)).toEqual(expected);
  });

  it.each([
    ['a markdown link', 'See [OpenRouter](http:%//openrouter.ai/docs).', []],
    ['a markdown link to an API page', '[the API](http:%//openrouter.ai/api/v1/models)', []],
    ['an autolink', 'Home: <http:%//openrouter.ai>', []],
    ['a reference link', '[or]: http:%//openrouter.ai/docs', []],
    ['prose naming the home page', 'Sign up at http:%//openrouter.ai first.', []],
    [
      'an API URL in a code block',
      '```sh\ncurl http:%//openrouter.ai/api/v1/models\n```',
      [{ line: 2, column: 6 }],
    ],
    ['an API URL in prose', 'Set the base URL to http:%//openrouter.ai/api/v1.', [{ line: 1, column: 21 }]],
    ['a base URL in inline code', 'Use `base_url="http:%//openrouter.ai"`.', [{ line: 1, column: 16 }]],
  ])('in markdown, %s', (_, text, expected) => {
    expect(lines(text, 'docs/setup.md')).toEqual(expected);
  });

  it.each([
    [
      'a JS test asserting http is refused',
      'test/client.test.ts',
      "expect(() => new Client({ baseURL: 'http:%//openrouter.ai/api/v1' })).toThrow(/https/);",
      [],
    ],
    [
      'a pytest asserting http is refused',
      'tests/test_config.py',
      'def test_rejects_http():\n    with pytest.raises(ValueError):\n        Config(base_url="http:%//openrouter.ai/api/v1")',
      [],
    ],
    [
      'a test that uses the plain-http URL as its setting',
      'tests/test_client.py',
      'client = OpenAI(base_url="http:%//openrouter.ai/api/v1")\nreply = client.models.list()',
      [{ line: 1, column: 27 }],
    ],
    [
      'the same refusal outside a test is still a finding',
      'src/client.ts',
      "const c = new Client({ baseURL: 'http:%//openrouter.ai/api/v1' }); // throws",
      [{ line: 1, column: 34 }],
    ],
  ])('%s', (_, path, text, expected) => {
    expect(lines(text, path)).toEqual(expected);
  });
});
