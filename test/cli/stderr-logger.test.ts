import { describe, expect, it } from 'vitest';
import { stderrLogger } from '../../cli/stderr-logger';
import { Redactor } from '../../lambda/engine/redact';

const key = `sk-or-v1-${'9e'.repeat(32)}`;

function capture() {
  const lines: string[] = [];
  const logger = stderrLogger({ write: (text: string) => lines.push(text) }, new Redactor().add(key));
  return { lines, logger };
}

describe('stderrLogger', () => {
  it('drops debug and info so that a healthy run stays quiet', () => {
    const { lines, logger } = capture();
    logger.debug('detail');
    logger.info('progress', { step: 1 });
    expect(lines).toEqual([]);
  });

  it('writes warnings and errors as one line each, with their fields', () => {
    const { lines, logger } = capture();
    logger.warn('OpenRouter call failed; retrying', { attempt: 1, endpoint: '/key' });
    logger.error('multi\nline');
    expect(lines).toEqual([
      'openrouter-audit: warning: OpenRouter call failed; retrying {"attempt":1,"endpoint":"/key"}\n',
      'openrouter-audit: error: multi line\n',
    ]);
  });

  it('redacts keys in messages and in nested fields', () => {
    const { lines, logger } = capture();
    logger.warn(`bad ${key}`, { nested: { header: `Bearer ${key}` }, list: [key] });
    expect(lines.join('')).not.toContain(key);
    expect(lines.join('')).not.toContain(key.slice(9, 25));
  });
});
