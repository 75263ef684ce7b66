import { opendir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ScanError } from './errors';
import { gitFiles } from './git-files';
import { maskSecrets } from './mask';
import { readTextFile } from './read-text-file';
import { SCAN_RULES } from './rules/index';
import { RepoFacts } from './rules/repo-facts';
import { BINARY_EXTENSIONS } from './skip-lists';
import { SourceFile } from './source-file';
import { applySuppressions } from './suppressions';
import type { FileSelection, Finding, ScanNote, ScanOptions, ScanReport, SkipReason } from './types';
import { listedEntries, type WalkEntry, walkTree } from './walk';

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const DEFAULT_CONCURRENCY = 16;

function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if ((a.column ?? 0) !== (b.column ?? 0)) return (a.column ?? 0) - (b.column ?? 0);
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0;
}

function compareNotes(a: ScanNote, b: ScanNote): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

function extensionOf(relative: string): string {
  const name = relative.slice(relative.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

async function checkRoot(root: string): Promise<void> {
  try {
    const stats = await stat(root);
    if (!stats.isDirectory())
      throw new ScanError('ROOT_NOT_DIRECTORY', 'the path to scan is not a directory');
  } catch (error) {
    if (error instanceof ScanError) throw error;
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ScanError('ROOT_NOT_FOUND', 'the directory to scan does not exist', { cause: error });
    }
    throw new ScanError('ROOT_UNREADABLE', 'the directory to scan cannot be read', { cause: error });
  }
  // Listing the root must work: a scan that read nothing would otherwise report a clean tree.
  try {
    const dir = await opendir(root);
    await dir.close();
  } catch (error) {
    throw new ScanError('ROOT_UNREADABLE', 'the directory to scan cannot be read', { cause: error });
  }
}

/** The files to read: git's (tracked and untracked-not-ignored) in a work tree, else the whole tree. */
async function selectEntries(
  root: string,
  all: boolean,
  signal?: AbortSignal,
): Promise<{ entries: AsyncGenerator<WalkEntry>; selection: FileSelection }> {
  if (!all) {
    const listed = await gitFiles(root, signal);
    // An empty listing (a folder git ignores as a whole) would scan nothing: walk it instead.
    if (listed !== undefined && listed.length > 0) {
      return { entries: listedEntries(root, listed, signal), selection: 'git' };
    }
  }
  return { entries: walkTree(root, signal), selection: all ? 'all' : 'walk' };
}

/**
 * Scans a directory tree for the code side of the production checklist: hard-coded OpenRouter keys
 * (published example keys as info), plain-http OpenRouter URLs, chat completions without an output
 * cap, clients without timeouts or with retries off, calls without fallback models, env files
 * holding keys and CI without secret scanning. In a git work tree it reads what git tracks plus
 * untracked files git does not ignore (`all` reads everything). Findings silenced by
 * `openrouter-audit-ignore` comments are counted, not listed (key findings cannot be silenced).
 * Reads files with bounded concurrency and never throws on a file; rejects with a `ScanError` only
 * when the root itself cannot be scanned or `signal` aborts.
 */
export async function scanRepository(dir: string, options: ScanOptions = {}): Promise<ScanReport> {
  const started = performance.now();
  const root = resolve(dir);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const { signal } = options;
  const aborted = (): ScanError =>
    new ScanError('ABORTED', 'the scan was aborted', { cause: signal?.reason });
  if (signal?.aborted) throw aborted();
  await checkRoot(root);

  const findings: Finding[] = [];
  const notes: ScanNote[] = [];
  let suppressed = 0;
  const skippedByReason: Record<SkipReason, number> = {
    symlink: 0,
    binary: 0,
    'too-large': 0,
    unreadable: 0,
    'check-failed': 0,
  };
  let filesScanned = 0;

  const { entries, selection } = await selectEntries(root, options.all === true, signal);
  const facts = new RepoFacts();
  const skip = (reason: SkipReason): void => {
    skippedByReason[reason] += 1;
  };

  async function handle(entry: WalkEntry): Promise<void> {
    if (entry.kind === 'skipped') {
      skip(entry.reason);
      return;
    }
    if (BINARY_EXTENSIONS.has(extensionOf(entry.relative))) {
      skip('binary');
      return;
    }
    const outcome = await readTextFile(entry.absolute, maxFileBytes);
    if (outcome.kind === 'absent') return;
    if (outcome.kind === 'skipped') {
      skip(outcome.reason);
      return;
    }
    const file = new SourceFile(maskSecrets(entry.relative), outcome.text);
    try {
      const pendingBefore = facts.pending.length;
      const outcome = applySuppressions(
        file,
        SCAN_RULES.flatMap((rule) => rule.check(file, facts)),
      );
      facts.collect(file);
      // A finding that waits on another module is silenced by a comment at its call all the same.
      for (const pending of facts.pending.slice(pendingBefore)) {
        pending.suppressed = applySuppressions(file, [pending.finding]).suppressed > 0;
      }
      findings.push(...outcome.findings);
      notes.push(...outcome.notes);
      suppressed += outcome.suppressed;
      filesScanned += 1;
    } catch {
      // A rule tripping over odd content must not end the scan; the file counts as not checked.
      skip('check-failed');
    }
  }

  // Async generators queue concurrent next() calls, so the workers can share one walk safely.
  async function worker(): Promise<void> {
    for (;;) {
      const next = await entries.next();
      if (next.done) return;
      await handle(next.value);
      if (signal?.aborted) throw aborted();
    }
  }

  // allSettled: on abort every worker stops after its current file before the scan rejects.
  const outcomes = await Promise.allSettled(Array.from({ length: concurrency }, worker));
  await entries.return(undefined);
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure !== undefined) {
    if (signal?.aborted) throw aborted();
    throw failure.reason;
  }

  const repository = facts.resolve();
  findings.push(...repository.findings);
  suppressed += repository.suppressed;

  return {
    root: maskSecrets(root),
    selection,
    filesScanned,
    filesSkipped: Object.values(skippedByReason).reduce((sum, n) => sum + n, 0),
    skippedByReason,
    durationMs: Math.round(performance.now() - started),
    suppressed,
    notes: notes.sort(compareNotes),
    findings: findings.sort(compareFindings),
  };
}
