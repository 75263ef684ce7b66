import { closeSync, constants, openSync, readSync } from 'node:fs';
import type { SkipReason } from './types';

/** A file is binary when a NUL byte appears in its first 8 KB (the test git and grep use). */
const BINARY_SNIFF_BYTES = 8 * 1024;

export type ReadOutcome =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'skipped'; readonly reason: SkipReason }
  /** The path names nothing (a file git tracks but the work tree deleted), or a folder (a submodule). */
  | { readonly kind: 'absent' };

/**
 * One read buffer for the whole scan, grown to the largest size cap asked for: reads are synchronous,
 * so no two files share it at once, and thousands of per-file buffers (external memory that drives
 * the garbage collector) are never made.
 */
let shared = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads a regular file as UTF-8 text when it is small enough and not binary. Never throws: a file
 * that vanished, changed type or cannot be opened is `unreadable`. Opens with O_NOFOLLOW where the
 * platform has it, so a file swapped for a symlink after the listing is not followed.
 *
 * Synchronous system calls behind a promise, and no stat: the file is read up to one byte past the
 * cap (more means too large), and a folder or device shows itself by failing to read. Four
 * thread-pool round trips per file (open, stat, read, close) cost more than the reads themselves.
 */
export async function readTextFile(path: string, maxBytes: number): Promise<ReadOutcome> {
  return readTextFileSync(path, maxBytes);
}

function readTextFileSync(path: string, maxBytes: number): ReadOutcome {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a regular file ignores it, and a pipe swapped in after the listing cannot block the read.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    if (shared.length < maxBytes + 1) shared = Buffer.allocUnsafe(maxBytes + 1);
    let length = 0;
    while (length <= maxBytes) {
      const bytesRead = readSync(fd, shared, length, maxBytes + 1 - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return { kind: 'skipped', reason: 'too-large' };
    if (shared.subarray(0, Math.min(length, BINARY_SNIFF_BYTES)).includes(0)) {
      return { kind: 'skipped', reason: 'binary' };
    }
    return { kind: 'text', text: shared.toString('utf8', 0, length) };
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    // O_NOFOLLOW refuses a symlink with ELOOP (EMLINK on FreeBSD): a link is skipped, never followed.
    if (code === 'ELOOP' || code === 'EMLINK') return { kind: 'skipped', reason: 'symlink' };
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return { kind: 'absent' };
    return { kind: 'skipped', reason: 'unreadable' };
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // Closing a descriptor we opened cannot fail in a way the scan could act on.
      }
    }
  }
}
