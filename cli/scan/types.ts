/**
 * The repository scan's public types (`openrouter-audit scan`). The JSON report is built from
 * these, so field names are part of the contract: add fields, never rename them.
 */

/** What a finding is about. */
export type ScanRuleId =
  | 'hardcoded-key'
  | 'insecure-url'
  | 'missing-max-tokens'
  | 'env-file-key'
  | 'example-key'
  | 'client-timeout'
  | 'client-retries'
  | 'no-fallback'
  | 'ci-secret-scan';

/**
 * How much a finding matters: `error` is a leak or an exposed key path, `warn` a production risk
 * worth fixing, `info` worth knowing. `--fail-on` picks the lowest severity that fails the scan.
 */
export type Severity = 'error' | 'warn' | 'info';

/** One problem at one place in the tree. Never holds a key: excerpts and paths are masked. */
export interface Finding {
  readonly rule: ScanRuleId;
  /** Path relative to the scanned root, with forward slashes. */
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column of the finding's start, when the rule knows it. */
  readonly column?: number;
  /** What is wrong, why it matters and what to do; one line, no secret. */
  readonly message: string;
  /** The offending line, trimmed and shortened, with any key masked as `sk-or-v1-abc...123`. */
  readonly excerpt: string;
  /** True when the rule guesses from text patterns and a human should confirm the finding. */
  readonly heuristic: boolean;
  /** How much it matters (additive): decides, with `--fail-on`, whether the scan fails. */
  readonly severity: Severity;
  /** The rule's page in the docs: why it matters and how to fix it (additive). */
  readonly docs: string;
}

/**
 * Something the reader of a report should know about one place in the tree that is not a finding
 * itself: a suppression comment that was refused (a key rule) or that names an unknown rule.
 */
export interface ScanNote {
  /** Path relative to the scanned root, with forward slashes. */
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** One line, no secret. */
  readonly message: string;
}

/** Why a file was not scanned. */
export type SkipReason = 'symlink' | 'binary' | 'too-large' | 'unreadable' | 'check-failed';

/**
 * Which files were read: `git` (tracked plus untracked-not-ignored, in a git work tree), `walk`
 * (every file under the root, outside git), `all` (every file, git or not: `--all`).
 */
export type FileSelection = 'git' | 'walk' | 'all';

/** The result of scanning one directory tree. */
export interface ScanReport {
  /** The scanned directory, absolute. */
  readonly root: string;
  /** How the files were chosen (additive). */
  readonly selection: FileSelection;
  /** Text files read and checked. */
  readonly filesScanned: number;
  /**
   * Entries not checked: symlinks, binaries, files over the size cap, unreadable files and folders,
   * and files a rule failed on.
   */
  readonly filesSkipped: number;
  /** `filesSkipped` by reason (additive to the briefed shape: lets the table say why). */
  readonly skippedByReason: Readonly<Record<SkipReason, number>>;
  readonly durationMs: number;
  /**
   * Findings silenced by `openrouter-audit-ignore` comments: counted, not listed, not failing the
   * scan (additive to the briefed shape).
   */
  readonly suppressed: number;
  /** Refused or unusable suppression comments, sorted by file and line (additive). */
  readonly notes: readonly ScanNote[];
  /** Sorted by file, line, column, then rule: the same tree always gives the same list. */
  readonly findings: readonly Finding[];
}

/** Options of `scanRepository`. */
export interface ScanOptions {
  /**
   * Files larger than this are skipped (and counted as skipped) without being read.
   * @default 1_048_576 (1 MiB)
   */
  readonly maxFileBytes?: number;
  /**
   * Read every file under the root, including files git ignores.
   * @default false: in a git work tree, only what git tracks or would track
   */
  readonly all?: boolean;
  /** Stops the walk; the scan then rejects with a `ScanError` of code `ABORTED`. */
  readonly signal?: AbortSignal;
  /**
   * How many files are read at once.
   * @default 16
   */
  readonly concurrency?: number;
}
