import { describe, expect, it } from 'vitest';
import { missingMaxTokensRule } from '../../../cli/scan/rules/missing-max-tokens';
import { SourceFile } from '../../../cli/scan/source-file';
import { code } from '../fixture-tree';

/** Lines the rule flags in a file of that name holding that text (`%` markers removed). */
const flagged = (name: string, text: string): number[] =>
  missingMaxTokensRule.check(new SourceFile(name, code(text))).map((finding) => finding.line);

const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;

type Case = readonly [name: string, text: string, expected: readonly number[]];
/** Rows for it.each with the expected lines second, so the test name can show them. */
const cases = (rows: readonly Case[]) =>
  rows.map(([name, text, expected]) => [name, expected, text] as const);

describe('missing-max-tokens in JS/TS', () => {
  it.each(
    cases([
      [
        'an OpenAI SDK call without a cap',
        "await client.chat.completions.create%({ model: 'm', messages });",
        [1],
      ],
      [
        'an OpenAI SDK call with max_tokens',
        "await client.chat.completions.create%({ model: 'm', messages, max_tokens: 5 });",
        [],
      ],
      [
        'a call with max_completion_tokens',
        'await openai.chat.completions.create%({ model, messages, max_completion_tokens: 5 });',
        [],
      ],
      [
        'an OpenRouter SDK chat.send without a cap',
        "await openRouter.chat.send%({ model: 'm', messages, stream: true });",
        [1],
      ],
      [
        'an OpenRouter SDK chat.send with maxTokens',
        "await openRouter.chat.send%({ model: 'm', messages, maxTokens: 300 });",
        [],
      ],
      [
        'a shorthand maxCompletionTokens',
        'await openRouter.chat.send%({ model, messages, maxCompletionTokens });',
        [],
      ],
      [
        'a streaming helper call',
        'const stream = client.chat.completions.stream%({ model, messages });',
        [1],
      ],
      [
        'a beta parse call',
        'await client.beta.chat.completions.parse%({ model, messages, response_format });',
        [1],
      ],
      ['openai v3 createChatCompletion', 'await openai.createChatCompletion%({ model, messages });', [1]],
      [
        'a call on an awaited client',
        '(await getClient()).chat.completions.create%({ model, messages });',
        [1],
      ],
      ['optional chaining', 'await client?.chat.completions.create%({ model, messages });', [1]],
      [
        'a chain over several lines, reported where it starts',
        lines('const r = await client', '  .chat.completions', "  .create%({ model: 'm', messages });"),
        [1],
      ],
      [
        'a cap only in a comment inside the arguments',
        lines('await client.chat.completions.create%({', '  model,', '  messages, // max_tokens: 100', '});'),
        [1],
      ],
      [
        'a cap after strings with brackets and quotes',
        lines(
          'await client.chat.completions.create%({',
          '  model: "a)b(\'",',
          '  messages,',
          '  max_tokens: 9,',
          '});',
        ),
        [],
      ],
      [
        'options from a literal without a cap',
        lines('const params = { model, messages };', 'await client.chat.completions.create%(params);'),
        [2],
      ],
      [
        'options from a typed literal with a cap',
        lines(
          'const params: Params = { model, messages, max_tokens: 1 };',
          'await client.chat.completions.create%(params);',
        ),
        [],
      ],
      [
        'a spread of defaults holding the cap',
        lines(
          'const defaults = { maxTokens: 50 };',
          'await or.chat.send%({ ...defaults, model, messages });',
        ),
        [],
      ],
      [
        'a cap set on the options object later',
        lines(
          'const params = { model, messages };',
          'params.max_tokens = 10;',
          'await client.chat.completions.create%(params);',
        ),
        [],
      ],
      [
        'options passed in from elsewhere (cannot tell: stays silent)',
        lines('export function ask(opts) {', '  return client.chat.completions.create%(opts);', '}'),
        [],
      ],
      [
        'fetch to /chat/completions with an inline body and no cap',
        lines(
          "await fetch%('https://openrouter.ai/api/v1/chat/completions', {",
          "  method: 'POST',",
          '  headers,',
          '  body: JSON.stringify%({ model, messages }),',
          '});',
        ),
        [1],
      ],
      [
        'fetch to /chat/completions with a capped body',
        lines(
          `await fetch%(\`\${base}/chat/completions\`, {`,
          "  method: 'POST',",
          '  body: JSON.stringify%({ model, messages, max_tokens: 10 }),',
          '});',
        ),
        [],
      ],
      [
        'fetch through a URL constant and a body variable without a cap',
        lines(
          `const URL = \`\${BASE}/chat/completions\`;`,
          'const payload = { model, messages };',
          "const res = await fetch%(URL, { method: 'POST', body: JSON.stringify%(payload) });",
        ),
        [3],
      ],
      [
        'fetch with a shorthand body holding a cap',
        lines(
          "const endpoint = 'https://openrouter.ai/api/v1/chat/completions';",
          'const body = JSON.stringify%({ model, messages, max_tokens: 5 });',
          "await fetch%(endpoint, { method: 'POST', body });",
        ),
        [],
      ],
      [
        'axios.post without a cap',
        "await axios.post%('https://openrouter.ai/api/v1/chat/completions', { model, messages });",
        [1],
      ],
      [
        'axios.post with a cap',
        "await axios.post%('/api/v1/chat/completions', { model, messages, max_tokens: 5 });",
        [],
      ],
      ['fetch to another endpoint', "await fetch%('https://openrouter.ai/api/v1/models');", []],
      ['a commented-out call', "// await client.chat.completions.create%({ model: 'm', messages });", []],
      [
        'a call inside a block comment',
        lines('/*', " * client.chat.completions.create%({ model: 'm' });", ' */'),
        [],
      ],
      ['a bare completion() call in JS', 'const text = completion%({ prompt });', []],
      [
        'two calls, one capped',
        lines(
          'await a.chat.completions.create%({ model, messages });',
          'await b.chat.completions.create%({ model, messages, max_tokens: 3 });',
        ),
        [1],
      ],
    ]),
  )('%s: flags lines %j', (_, expected, text) => {
    expect(flagged('src/chat.ts', text)).toEqual(expected);
  });

  it.each(['a.js', 'a.mjs', 'a.cjs', 'a.ts', 'a.tsx', 'a.jsx', 'a.mts', 'a.cts'])(
    'checks %s files',
    (name) => {
      expect(flagged(`src/${name}`, 'client.chat.completions.create%({ model, messages });')).toEqual([1]);
    },
  );

  it.each(['types.d.ts', 'bundle.min.js', 'notes.md', 'main.go', 'call.txt'])('does not check %s', (name) => {
    expect(flagged(`src/${name}`, 'client.chat.completions.create%({ model, messages });')).toEqual([]);
  });
});

describe('missing-max-tokens in Python', () => {
  it.each(
    cases([
      [
        'an OpenAI SDK call without a cap',
        'resp = client.chat.completions.create%(model="m", messages=msgs)',
        [1],
      ],
      [
        'an OpenAI SDK call with max_tokens',
        'resp = client.chat.completions.create%(model="m", messages=msgs, max_tokens=5)',
        [],
      ],
      [
        'max_completion_tokens',
        'client.chat.completions.create%(model=m, messages=msgs, max_completion_tokens=5)',
        [],
      ],
      [
        'the OpenRouter SDK chat.send without a cap',
        'res = client.chat.send%(model="m", messages=msgs)',
        [1],
      ],
      [
        'legacy openai.ChatCompletion.create',
        'openai.ChatCompletion.create%(model="gpt", messages=msgs)',
        [1],
      ],
      ['with_raw_response', 'client.chat.completions.with_raw_response.create%(model=m, messages=msgs)', [1]],
      [
        'LiteLLM completion without a cap',
        lines('from litellm import completion', 'r = completion%(model="openrouter/x", messages=m)'),
        [2],
      ],
      ['LiteLLM acompletion without a cap', 'r = await acompletion%(model="openrouter/x", messages=m)', [1]],
      ['litellm.completion with a cap', 'r = litellm.completion%(model="x", messages=m, max_tokens=100)', []],
      [
        'a function named completion being defined',
        lines('def completion%(prompt):', '    return prompt'),
        [],
      ],
      ['a method named completion', 'self.completion%(prompt)', []],
      [
        'a call over lines with an apostrophe in a comment',
        lines(
          'client.chat.completions.create%(',
          '    model="m",  # don\'t forget',
          '    messages=msgs,',
          ')',
        ),
        [1],
      ],
      [
        'a cap after a triple-quoted string with a bracket',
        lines(
          'client.chat.completions.create%(',
          '    model="m",',
          '    messages=[{"content": """a ) b"""}],',
          '    max_tokens=10,',
          ')',
        ),
        [],
      ],
      ['a commented-out call', '# client.chat.completions.create%(model="m", messages=msgs)', []],
      [
        'requests.post to /chat/completions without a cap',
        lines(
          'requests.post%(',
          '    "https://openrouter.ai/api/v1/chat/completions",',
          '    json={"model": m, "messages": msgs},',
          ')',
        ),
        [1],
      ],
      [
        'requests.post with a capped payload variable',
        lines(
          'URL = f"{BASE}/chat/completions"',
          'payload = {"model": m, "messages": msgs}',
          'payload["max_tokens"] = 64',
          'requests.post%(URL, headers=h, json=payload)',
        ),
        [],
      ],
      [
        'requests.post with an uncapped payload variable',
        lines(
          'URL = BASE + "/chat/completions"',
          'payload = {"model": m, "messages": msgs}',
          'r = requests.post%(URL, json=payload)',
        ),
        [3],
      ],
      [
        'httpx client.post without a cap',
        'r = await client.post%("/chat/completions", json={"model": m, "messages": msgs})',
        [1],
      ],
      [
        'kwargs forwarded from a caller',
        lines('def ask(**kwargs):', '    return client.chat.completions.create%(**kwargs)'),
        [],
      ],
      [
        'kwargs from a dict() holding the cap',
        lines(
          'params = dict(model="m", max_tokens=5)',
          'client.chat.completions.create%(messages=msgs, **params)',
        ),
        [],
      ],
      [
        'kwargs from a dict without the cap',
        lines('params = {"model": "m"}', 'client.chat.completions.create%(messages=msgs, **params)'),
        [2],
      ],
    ]),
  )('%s: flags lines %j', (_, expected, text) => {
    expect(flagged('app/chat.py', text)).toEqual(expected);
  });
});

describe('missing-max-tokens findings', () => {
  it('say they are heuristic and why the cap matters', () => {
    const [finding] = missingMaxTokensRule.check(
      new SourceFile('a.ts', code('client.chat.completions.create%({ model, messages });')),
    );
    expect(finding).toMatchObject({
      rule: 'missing-max-tokens',
      file: 'a.ts',
      line: 1,
      column: 1,
      heuristic: true,
    });
    expect(finding?.message).toContain('heuristic');
    expect(finding?.message).toContain('402');
    expect(finding?.message).toContain('can only afford');
  });

  // No stopwatch: a matcher that backtracks on this 600 KB call takes minutes, far past the
  // test's timeout, while a linear one takes milliseconds; the margin covers any machine load.
  it('stay bounded on an unbalanced call in a huge file', () => {
    const text = `client.chat.completions.create%({ model,\n${'x, '.repeat(200_000)}`;
    expect(flagged('a.js', text)).toEqual([1]);
  });
});
