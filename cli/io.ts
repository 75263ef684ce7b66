/** Anything that accepts text: `process.stdout`, or a buffer in tests. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * Everything the CLI touches of its process, injected so that tests run it in-process. Only
 * bin/openrouter-audit.ts builds the real one.
 */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** The environment; the CLI reads it here and nowhere else. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (decides colour). */
  readonly isTTY: boolean;
  /** Resolves relative paths (`--config`, `--output`, `scan DIR`). @default process.cwd() */
  readonly cwd?: string;
}
