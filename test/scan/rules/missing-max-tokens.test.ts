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

describe('missing-max-tokens on the cases of the field study', () => {
  it.each(
    cases([
      [
        'a call pattern inside a test name is text, the call below it is a call',
        lines(
          "describe('chat.send%() - Non-streaming', () => {",
          "  it('answers', () => client.chat.send%({ model: 'm', messages }));",
          '});',
        ),
        [2],
      ],
      [
        'a call pattern inside a template literal',
        'const help = `use client.chat.completions.create%({ model }) to ask`;',
        [],
      ],
      [
        'a URL variable of another function does not make an image request a chat call',
        lines(
          'async function chat(messages) {',
          "  const url = 'https://openrouter.ai/api/v1/chat/completions';",
          "  return fetch%(url, { method: 'POST', body: JSON.stringify%({ model, messages, max_tokens: 5 }) });",
          '}',
          'async function draw(prompt) {',
          "  const url = 'https://openrouter.ai/api/v1/images/generations';",
          "  return fetch%(url, { method: 'POST', body: JSON.stringify%({ model, prompt }) });",
          '}',
        ),
        [],
      ],
      [
        'a module-level URL constant is seen from every function',
        lines(
          "const CHAT_URL = 'https://openrouter.ai/api/v1/chat/completions';",
          'async function ask(messages) {',
          "  return fetch%(CHAT_URL, { method: 'POST', body: JSON.stringify%({ model, messages }) });",
          '}',
        ),
        [3],
      ],
      [
        'a payload copied from a literal without a cap',
        lines(
          'const BASE = { model: "m", temperature: 0 };',
          'const body = structuredClone%(BASE);',
          "await fetch%(API + '/chat/completions', { method: 'POST', body: JSON.stringify%(body) });",
        ),
        [3],
      ],
      [
        'LangChain ChatOpenAI at OpenRouter without maxTokens',
        lines(
          'const model = new ChatOpenAI({',
          "  model: 'a/b',",
          "  configuration: { baseURL: 'https://openrouter.ai/api/v1' },",
          '});',
        ),
        [1],
      ],
      [
        'LangChain ChatOpenAI at OpenRouter with maxTokens',
        "const model = new ChatOpenAI({ model: 'a/b', maxTokens: 64, configuration: { baseURL: 'https://openrouter.ai/api/v1' } });",
        [],
      ],
      ['LangChain ChatOpenAI at OpenAI', "const model = new ChatOpenAI({ model: 'gpt-4o' });", []],
      [
        'the AI SDK with an OpenRouter model and no maxOutputTokens',
        lines(
          "import { streamText } from 'ai';",
          'const openrouter = createOpenRouter%({ apiKey: process.env.OPENROUTER_API_KEY });',
          "const result = streamText%({ model: openrouter%('a/b'), messages });",
        ),
        [3],
      ],
      [
        'the AI SDK with maxOutputTokens',
        lines(
          "import { generateText } from 'ai';",
          "await generateText%({ model: openrouter%('a/b'), prompt, maxOutputTokens: 100 });",
        ),
        [],
      ],
      [
        'the AI SDK with an OpenAI model, in a file that names OpenRouter only in a comment',
        lines(
          "import { generateText } from 'ai';",
          '// not through OpenRouter',
          "await generateText%({ model: openai%('gpt-4o'), prompt });",
        ),
        [],
      ],
    ]),
  )('JS: %s: flags lines %j', (_, expected, text) => {
    expect(flagged('src/chat.ts', text)).toEqual(expected);
  });

  it.each(
    cases([
      [
        'a payload copied from a dict without a cap',
        lines(
          'BASE_PAYLOAD = {"model": "m", "temperature": 0.7}',
          'def ask(q):',
          '    payload = BASE_PAYLOAD.copy%()',
          '    payload["messages"] = [{"role": "user", "content": q}]',
          '    return requests.post%(CHAT_URL, json=payload)',
          'CHAT_URL = "https://openrouter.ai/api/v1/chat/completions"',
        ),
        [5],
      ],
      [
        'a deep copy that gets its cap after copying',
        lines(
          'import copy',
          'URL = "https://openrouter.ai/api/v1/chat/completions"',
          'BASE = {"model": "m"}',
          'payload = copy.deepcopy%(BASE)',
          'payload["max_tokens"] = 100',
          'requests.post%(URL, json=payload)',
        ),
        [],
      ],
      [
        'an attribute URL of a class',
        lines(
          'class Bot:',
          '    def __init__(self):',
          '        self.api_url = "https://openrouter.ai/api/v1/chat/completions"',
          '    def ask(self, q):',
          '        payload = {"model": "m", "messages": [q]}',
          '        return requests.post%(self.api_url, json=payload, timeout=10)',
        ),
        [6],
      ],
      [
        'LangChain ChatOpenAI with openai_api_base at OpenRouter',
        lines(
          'llm = ChatOpenAI%(',
          '    model="a/b",',
          '    openai_api_base="https://openrouter.ai/api/v1",',
          ')',
        ),
        [1],
      ],
      [
        'LangChain ChatOpenAI with base_url and max_tokens',
        'llm = ChatOpenAI%(model="a/b", base_url="https://openrouter.ai/api/v1", max_tokens=200)',
        [],
      ],
      [
        'a call pattern inside a docstring',
        lines('SYSTEM = """Never call client.chat.completions.create%( yourself."""'),
        [],
      ],
    ]),
  )('Python: %s: flags lines %j', (_, expected, text) => {
    expect(flagged('app/bot.py', text)).toEqual(expected);
  });
});

describe('missing-max-tokens in notebooks', () => {
  const notebook = (cells: { cell_type: string; source: string[] }[]) =>
    `${JSON.stringify({ cells: cells.map((c) => ({ metadata: {}, outputs: [], ...c })), metadata: { kernelspec: { language: 'python' } }, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;

  it('reads code cells and reports the notebook line of the call', () => {
    const text = notebook([
      { cell_type: 'markdown', source: ['client.chat.completions.create%(model="m")\n'] },
      {
        cell_type: 'code',
        source: [
          '!pip install openai\n',
          'resp = client.chat.completions.create%(\n',
          '    model="m", messages=msgs)\n',
        ],
      },
      {
        cell_type: 'code',
        source: ['client.chat.completions.create%(model="m", messages=m, max_tokens=5)\n'],
      },
    ]);
    const findings = missingMaxTokensRule.check(new SourceFile('nb/explore.ipynb', code(text)));
    const lineOf = code(text)
      .split('\n')
      .findIndex((line) => line.includes('resp = client'));
    expect(findings.map((f) => f.line)).toEqual([lineOf + 1]);
    expect(findings[0]?.excerpt).toContain('resp = client.chat.completions.create(');
  });

  it('ignores a notebook that is not JSON, or not Python', () => {
    expect(flagged('a.ipynb', 'client.chat.completions.create%(model="m")')).toEqual([]);
    const r = JSON.stringify({
      cells: [{ cell_type: 'code', source: ['client.chat.completions.create%(model="m")'] }],
      metadata: { kernelspec: { language: 'R' } },
    });
    expect(flagged('a.ipynb', r)).toEqual([]);
  });
});
