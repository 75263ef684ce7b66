import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { SkipReason } from './types';

/** A file is binary when a NUL byte appears in its first 8 KB (the test git and grep use). */
const BINARY_SNIFF_BYTES = 8 * 1024;

export type ReadOutcome =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'skipped'; readonly reason: SkipReason }
  /** The path names nothing (a file git tracks but the work tree deleted), or a folder (a submodule). */
  | { readonly kind: 'absent' };

/**
 * Reads a regular file as UTF-8 text when it is small enough and not binary. Never throws: a file
 * that vanished, changed type or cannot be opened is `unreadable`. Opens with O_NOFOLLOW where the
 * platform has it, so a file swapped for a symlink after the listing is not followed.
 *
 * Synchronous system calls behind a promise: a scan reads thousands of small files, and four
 * thread-pool round trips per file (open, stat, read, close) cost more than the reads themselves.
 */
export async function readTextFile(path: string, maxBytes: number): Promise<ReadOutcome> {
  return readTextFileSync(path, maxBytes);
}

function readTextFileSync(path: string, maxBytes: number): ReadOutcome {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a regular file ignores it, and a pipe swapped in after the listing cannot block the open.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { kind: 'absent' };
    if (!stats.isFile()) return { kind: 'skipped', reason: 'unreadable' };
    if (stats.size > maxBytes) return { kind: 'skipped', reason: 'too-large' };
    // At most the size stat reported: a file growing meanwhile cannot push the read past the cap.
    const buffer = Buffer.allocUnsafe(stats.size);
    let length = 0;
    while (length < buffer.length) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    const content = buffer.subarray(0, length);
    if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { kind: 'skipped', reason: 'binary' };
    return { kind: 'text', text: content.toString('utf8') };
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
