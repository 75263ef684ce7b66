import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type AuditConfig, ConfigError, parseAuditConfig } from '../lambda/engine/config';
import { UsageError } from './usage-error';

/** Config files are a few hundred bytes; anything this large is the wrong file. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads and validates `--config FILE`. Every problem (unreadable, not JSON, a bad or unknown field)
 * becomes a UsageError whose one line names the file and the field, so the CLI exits 2 before
 * any request is sent.
 */
export async function loadConfigFile(path: string, cwd: string): Promise<AuditConfig> {
  const where = `--config ${path}`;
  let text: string;
  try {
    const bytes = await readFile(resolve(cwd, path));
    if (bytes.length > MAX_CONFIG_BYTES) throw new UsageError(`${where}: the file is larger than 1 MiB`);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown error';
    throw new UsageError(`${where}: cannot read the file (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // JSON.parse quotes the text around the error; the position is enough and repeats nothing.
    const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
    throw new UsageError(
      `${where}: not valid JSON${position === undefined ? '' : ` (at character ${position})`}`,
    );
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new UsageError(`${where}: must be a JSON object such as {"models": ["openai/gpt-4o-mini"]}`);
  }
  try {
    return parseAuditConfig(json, 'config');
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${where}: ${error.problems.join('; ')}`);
    throw error;
  }
}
