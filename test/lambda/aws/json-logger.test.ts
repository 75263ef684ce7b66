import { describe, expect, it } from 'vitest';
import { createJsonLogger, type LogSink } from '../../../lambda/aws/json-logger';
import { Redactor } from '../../../lambda/engine/redact';

const KEY = `sk-or-v1-${'ab'.repeat(32)}`;

function recorder(): { sink: LogSink; lines: { level: string; line: Readonly<Record<string, unknown>> }[] } {
  const lines: { level: string; line: Readonly<Record<string, unknown>> }[] = [];
  const at = (level: string) => (line: Readonly<Record<string, unknown>>) => lines.push({ level, line });
  return { sink: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

describe('createJsonLogger', () => {
  it('writes one object per call at the matching level, with the child fields', () => {
    const { sink, lines } = recorder();
    const logger = createJsonLogger({ redactor: new Redactor(), sink }).child({ runId: 'r-1' });
    logger.info('check', { check: 'auth', status: 'pass' });
    logger.error('failed', { error: 'X' });
    expect(lines).toEqual([
      { level: 'info', line: { msg: 'check', runId: 'r-1', check: 'auth', status: 'pass' } },
      { level: 'error', line: { msg: 'failed', runId: 'r-1', error: 'X' } },
    ]);
  });

  it('redacts registered secrets and key shapes in the message and in nested fields', () => {
    const { sink, lines } = recorder();
    const webhook = 'https://hooks.example.test/services/secret-token-value';
    const logger = createJsonLogger({ redactor: new Redactor().add(webhook), sink });
    logger.warn(`saw ${KEY}`, { nested: { list: [`Bearer ${KEY}`, webhook] } });
    const text = JSON.stringify(lines);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('secret-token-value');
    expect(text).toContain('[REDACTED]');
  });

  it('never throws, even when the sink does', () => {
    const failing: LogSink = {
      debug: () => {
        throw new Error('x');
      },
      info: () => {
        throw new Error('x');
      },
      warn: () => {
        throw new Error('x');
      },
      error: () => {
        throw new Error('x');
      },
    };
    expect(() => createJsonLogger({ redactor: new Redactor(), sink: failing }).info('m')).not.toThrow();
  });
});
