import type { Dirent } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { SKIPPED_DIRECTORIES } from './skip-lists';
import type { SkipReason } from './types';

/** One entry the walk met: a regular file to read, or something it will not read. */
export type WalkEntry =
  | { readonly kind: 'file'; readonly absolute: string; readonly relative: string }
  | { readonly kind: 'skipped'; readonly relative: string; readonly reason: SkipReason };

type EntryType = 'file' | 'directory' | 'symlink' | 'other';

/** The entry's type from the directory listing, asking the file system only when the listing could not tell. */
async function typeOf(entry: Dirent, absolute: string): Promise<EntryType> {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  if (entry.isFIFO() || entry.isSocket() || entry.isCharacterDevice() || entry.isBlockDevice())
    return 'other';
  const stats = await lstat(absolute);
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  return 'other';
}

/**
 * Walks a tree depth-first with `opendir` (one open directory at a time, no listing held in memory),
 * never following symlinks and never entering SKIPPED_DIRECTORIES. Unreadable folders and entries
 * become `skipped` entries: the walk itself never throws, except when `signal` aborts.
 */
export async function* walkTree(root: string, signal?: AbortSignal): AsyncGenerator<WalkEntry> {
  const pending: string[] = [''];
  while (pending.length > 0) {
    signal?.throwIfAborted();
    const relativeDir = pending.pop() ?? '';
    const absoluteDir = relativeDir === '' ? root : join(root, relativeDir);
    let dir: AsyncIterable<Dirent>;
    try {
      dir = await opendir(absoluteDir, { bufferSize: 64 });
    } catch {
      yield { kind: 'skipped', relative: relativeDir, reason: 'unreadable' };
      continue;
    }
    try {
      for await (const entry of dir) {
        const relative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
        const absolute = join(absoluteDir, entry.name);
        let type: EntryType;
        try {
          type = await typeOf(entry, absolute);
        } catch {
          yield { kind: 'skipped', relative, reason: 'unreadable' };
          continue;
        }
        if (type === 'directory') {
          if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(relative);
        } else if (type === 'file') yield { kind: 'file', absolute, relative };
        else if (type === 'symlink') yield { kind: 'skipped', relative, reason: 'symlink' };
        // Sockets, pipes and devices are not source files: reading a pipe could block forever.
      }
    } catch {
      // The listing failed part-way (folder removed or permissions changed under us).
      yield { kind: 'skipped', relative: relativeDir, reason: 'unreadable' };
    }
  }
}

/** True when a path runs through a folder the scan never enters. */
function inSkippedDirectory(relative: string): boolean {
  const parts = relative.split('/');
  parts.pop();
  return parts.some((part) => SKIPPED_DIRECTORIES.has(part));
}

/**
 * The entries of a list of paths relative to `root` (git's listing), skipping the same folders as
 * the walk. Not stat'ed here: reading opens each file without following symlinks and tells a
 * deleted path or a submodule's folder apart, which saves a system call per file.
 */
export async function* listedEntries(
  root: string,
  paths: readonly string[],
  signal?: AbortSignal,
): AsyncGenerator<WalkEntry> {
  for (const relative of paths) {
    signal?.throwIfAborted();
    if (inSkippedDirectory(relative)) continue;
    // git's paths are relative with forward slashes: a concatenation, not path.join's normalising.
    yield { kind: 'file', absolute: `${root}/${relative}`, relative };
  }
}
