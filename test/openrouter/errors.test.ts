import { describe, expect, it } from 'vitest';
import { OpenRouterError, withErrorDetails } from '../../lambda/openrouter/errors';

describe('withErrorDetails', () => {
  const resetAt = new Date('2026-11-30T00:00:00Z');
  const cause = { name: 'SocketError', code: 'UND_ERR_SOCKET' };
  const original = new OpenRouterError('HTTP_STATUS', 'OpenRouter answered HTTP 429 on /key', {
    status: 429,
    endpoint: '/key',
    apiMessage: 'Rate limit exceeded',
    apiErrorType: 'rate_limit',
    apiCode: 429,
    attempts: 3,
    resetAt,
    limitSource: 'openrouter_free_tier_daily',
    availabilityCode: 'region_restricted',
    fallbackModels: ['a/b'],
    minimumTokens: 16,
    cause,
  });

  it('keeps every detail it is not told to replace, and the cause', () => {
    const copy = withErrorDetails(original, {});
    expect(copy).not.toBe(original);
    expect(copy).toMatchObject({
      code: 'HTTP_STATUS',
      message: 'OpenRouter answered HTTP 429 on /key',
      status: 429,
      endpoint: '/key',
      apiMessage: 'Rate limit exceeded',
      apiErrorType: 'rate_limit',
      apiCode: 429,
      attempts: 3,
      resetAt,
      limitSource: 'openrouter_free_tier_daily',
      availabilityCode: 'region_restricted',
      fallbackModels: ['a/b'],
      minimumTokens: 16,
    });
    expect(copy.cause).toBe(cause);
  });

  it('replaces only the details, code and message it is given', () => {
    const copy = withErrorDetails(original, { attempts: 4 }, 'RATE_LIMITED_DAILY', 'daily cap');
    expect(copy).toMatchObject({
      code: 'RATE_LIMITED_DAILY',
      message: 'daily cap',
      attempts: 4,
      status: 429,
    });
    expect(original.attempts).toBe(3);
  });
});
