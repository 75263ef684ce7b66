import type { Logger } from '../lambda/engine/logger';
import type { Redactor } from '../lambda/engine/redact';
import { oneLine } from '../lambda/render/text';
import type { TextSink } from './io';

/**
 * The CLI's logger: warnings and errors go to stderr as one redacted line each; debug and info are
 * dropped so that stdout carries only the report and stderr stays quiet on a healthy run.
 */
export function stderrLogger(stderr: TextSink, redactor: Redactor): Logger {
  const line = (level: string, message: string, fields?: Readonly<Record<string, unknown>>): void => {
    const extra = fields && Object.keys(fields).length > 0 ? ` ${safeJson(redactor.redactDeep(fields))}` : '';
    stderr.write(`${oneLine(redactor.redact(`openrouter-audit: ${level}: ${message}${extra}`))}\n`);
  };
  return {
    debug: () => {},
    info: () => {},
    warn: (message, fields) => line('warning', message, fields),
    error: (message, fields) => line('error', message, fields),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '(unserialisable fields)';
  }
}
