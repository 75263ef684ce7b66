import { describe, expect, it } from 'vitest';
import { clientRetriesRule } from '../../../cli/scan/rules/client-retries';
import { clientTimeoutRule } from '../../../cli/scan/rules/client-timeout';
import { noFallbackRule } from '../../../cli/scan/rules/no-fallback';
import type { ScanRule } from '../../../cli/scan/rules/rule';
import { SourceFile } from '../../../cli/scan/source-file';
import { code } from '../fixture-tree';

const flagged = (rule: ScanRule, name: string, text: string): number[] =>
  rule.check(new SourceFile(name, code(text))).map((finding) => finding.line);
const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;

describe('client-timeout', () => {
  it.each([
    [
      'an OpenAI client at OpenRouter without a timeout',
      'src/ai.ts',
      "const openai = new OpenAI({ baseURL: 'https://openrouter.ai/api/v1', apiKey });",
      [1],
    ],
    [
      'the same client with a timeout',
      'src/ai.ts',
      "const openai = new OpenAI({ baseURL: 'https://openrouter.ai/api/v1', apiKey, timeout: 20_000 });",
      [],
    ],
    ['a client at OpenAI itself', 'src/ai.ts', 'const openai = new OpenAI({ apiKey });', []],
    [
      'a Python client whose base URL is a constant holding OpenRouter',
      'app/llm.py',
      lines('BASE = "https://openrouter.ai/api/v1"', 'client = OpenAI%(base_url=BASE, api_key=key)'),
      [2],
    ],
    [
      'a Python client with per-request timeouts on its calls',
      'app/llm.py',
      lines(
        'client = OpenAI%(base_url="https://openrouter.ai/api/v1")',
        'r = client.chat.completions.create%(model=m, messages=msgs, max_tokens=5, timeout=30)',
      ),
      [],
    ],
    ['the OpenRouter SDK without timeoutMs', 'src/or.ts', 'const or = new OpenRouter({ apiKey });', [1]],
    [
      'the OpenRouter SDK with timeoutMs',
      'src/or.ts',
      'const or = new OpenRouter({ apiKey, timeoutMs: 5000 });',
      [],
    ],
    [
      'LangChain ChatOpenAI at OpenRouter without a timeout',
      'app/chain.py',
      'llm = ChatOpenAI%(model="x/y", base_url="https://openrouter.ai/api/v1", max_tokens=5)',
      [1],
    ],
    [
      'requests to OpenRouter without timeout=',
      'app/credits.py',
      'r = requests.get%("https://openrouter.ai/api/v1/credits", headers=h)',
      [1],
    ],
    [
      'requests to OpenRouter with timeout=',
      'app/credits.py',
      'r = requests.get%("https://openrouter.ai/api/v1/credits", headers=h, timeout=10)',
      [],
    ],
    [
      'fetch with an abort signal',
      'src/chat.ts',
      "await fetch%('https://openrouter.ai/api/v1/models', { signal: AbortSignal.timeout%(5000) });",
      [],
    ],
    ['fetch elsewhere', 'src/chat.ts', "await fetch%('https://example.com/api');", []],
    [
      'axios.post whose body spreads the request (the body holds no timeout option)',
      'src/proxy.js',
      "await axios.post%('https://openrouter.ai/api/v1/chat/completions', { ...req.body }, { headers });",
      [1],
    ],
    [
      'httpx, which times out by default',
      'app/m.py',
      'httpx.get%("https://openrouter.ai/api/v1/models")',
      [],
    ],
    [
      'a client in a test file',
      'tests/test_llm.py',
      'client = OpenAI%(base_url="https://openrouter.ai/api/v1")',
      [],
    ],
    [
      'a constructor named in a string',
      'src/help.ts',
      'const help = \'call new OpenAI({ baseURL: "https://openrouter.ai/api/v1" })\';',
      [],
    ],
  ])('%s', (_, name, text, expected) => {
    expect(flagged(clientTimeoutRule, name, text)).toEqual(expected);
  });
});

describe('client-retries', () => {
  it.each([
    [
      'maxRetries: 0 on an OpenAI client',
      'src/ai.ts',
      'const c = new OpenAI({ baseURL, maxRetries: 0 });',
      [1],
    ],
    ['max_retries=0 on a Python client', 'app/ai.py', 'c = OpenAI%(base_url=u, max_retries=0)', [1]],
    ['with_options(max_retries=0)', 'app/ai.py', 'fast = client.with_options%(max_retries=0)', [1]],
    [
      "the OpenRouter SDK's retryConfig strategy none",
      'src/or.ts',
      "const or = new OpenRouter({ apiKey, retryConfig: { strategy: 'none' } });",
      [1],
    ],
    ['retries kept', 'src/ai.ts', 'const c = new OpenAI({ baseURL, maxRetries: 3 });', []],
    ['max_retries=0 on something else', 'app/db.py', 'pool = Pool%(max_retries=0)', []],
    ['retries off in a test', 'test/ai.test.ts', 'const c = new OpenAI({ baseURL, maxRetries: 0 });', []],
    ['in a comment', 'src/ai.ts', 'const c = new OpenAI({ baseURL }); // never maxRetries: 0', []],
  ])('%s', (_, name, text, expected) => {
    expect(flagged(clientRetriesRule, name, text)).toEqual(expected);
  });
});

describe('no-fallback', () => {
  it.each([
    [
      'one model at OpenRouter',
      'src/chat.ts',
      "await client.chat.completions.create%({ model: 'openai/gpt-4o', messages, max_tokens: 9 });",
      [1],
    ],
    [
      'a models list',
      'src/chat.ts',
      "await client.chat.completions.create%({ model: 'openai/gpt-4o', models: ['openai/gpt-4o', 'x/y'], messages });",
      [],
    ],
    [
      'extra_body models in Python',
      'app/chat.py',
      'client.chat.completions.create%(model="a/b", messages=m, extra_body={"models": ["a/b", "c/d"]})',
      [],
    ],
    [
      'the auto router',
      'src/chat.ts',
      "await client.chat.completions.create%({ model: 'openrouter/auto', messages });",
      [],
    ],
    [
      'LiteLLM fallbacks',
      'app/chat.py',
      'completion%(model="openrouter/a/b", messages=m, fallbacks=["openrouter/c/d"])',
      [],
    ],
    [
      'a plain OpenAI model id in a file that never mentions OpenRouter',
      'src/chat.ts',
      "await client.chat.completions.create%({ model: 'gpt-4o', messages });",
      [],
    ],
    [
      'options from elsewhere (cannot tell)',
      'src/chat.ts',
      'export const ask = (opts) => client.chat.completions.create%({ ...opts, messages });',
      [],
    ],
    ['a test file', 'tests/test_chat.py', 'client.chat.completions.create%(model="a/b", messages=m)', []],
  ])('%s', (_, name, text, expected) => {
    expect(flagged(noFallbackRule, name, text)).toEqual(expected);
  });

  it('is info, never failing a scan by default', () => {
    const [finding] = noFallbackRule.check(
      new SourceFile('a.ts', code("client.chat.completions.create%({ model: 'a/b', messages });")),
    );
    expect(finding).toMatchObject({
      rule: 'no-fallback',
      severity: 'info',
      docs: 'docs/scan-rules.md#no-fallback',
    });
  });
});
