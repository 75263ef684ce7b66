import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
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
  const text = await readConfigText(resolve(cwd, path), where);
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

/**
 * The file's text, checked before a byte is read: only a regular file of at most 1 MiB. Opened
 * non-blocking, so a FIFO with no writer cannot hang the CLI, and `/dev/zero` or a huge file is
 * refused from its `fstat`, not after reading gigabytes. The read itself stops at the cap too, in
 * case the file grows meanwhile.
 */
async function readConfigText(path: string, where: string): Promise<string> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = await handle.stat();
    if (!stat.isFile()) {
      const kind = stat.isDirectory()
        ? 'a directory'
        : stat.isFIFO()
          ? 'a FIFO (named pipe)'
          : stat.isCharacterDevice() || stat.isBlockDevice()
            ? 'a device'
            : stat.isSocket()
              ? 'a socket'
              : 'not a regular file';
      throw new UsageError(`${where}: is ${kind}; give a JSON file`);
    }
    if (stat.size > MAX_CONFIG_BYTES) throw new UsageError(`${where}: the file is larger than 1 MiB`);
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_CONFIG_BYTES) throw new UsageError(`${where}: the file is larger than 1 MiB`);
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown error';
    throw new UsageError(`${where}: cannot read the file (${code})`);
  } finally {
    await handle?.close();
  }
}
