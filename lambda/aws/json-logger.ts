import type { Logger } from '../engine/logger';
import type { Redactor } from '../engine/redact';

/**
 * The Lambda's logger. The function uses Lambda's JSON log format, whose runtime embeds a single
 * object passed to `console.*` as the line's `message` and adds timestamp, level and request id;
 * so each call writes one object, with every string passed through the Redactor first.
 */

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Where lines go: `console` in Lambda; tests pass a recorder. */
export type LogSink = Readonly<Record<Level, (line: Readonly<Record<string, unknown>>) => void>>;

export interface JsonLoggerOptions {
  readonly redactor: Redactor;
  /** @default console */
  readonly sink?: LogSink;
  /** Fields added to every line (e.g. the run id); set per invocation with `child`. */
  readonly fields?: Readonly<Record<string, unknown>>;
}

export interface JsonLogger extends Logger {
  /** A logger that adds `fields` to every line (e.g. `{ runId }`). */
  child(fields: Readonly<Record<string, unknown>>): JsonLogger;
}

export function createJsonLogger(options: JsonLoggerOptions): JsonLogger {
  const sink: LogSink = options.sink ?? {
    debug: (line) => console.debug(line),
    info: (line) => console.info(line),
    warn: (line) => console.warn(line),
    error: (line) => console.error(line),
  };
  const base = options.fields ?? {};
  const write = (level: Level) => (message: string, fields?: Readonly<Record<string, unknown>>) => {
    try {
      sink[level](options.redactor.redactDeep({ msg: message, ...base, ...fields }));
    } catch {
      // A logger must never break the run (e.g. a cyclic value in fields).
    }
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => createJsonLogger({ ...options, fields: { ...base, ...fields } }),
  };
}
