/** The CLI's exit codes: a public contract. */
export const EXIT = {
  /** No check is `fail` or `error` (warnings and skips are fine); for `scan`, no finding. */
  ok: 0,
  /** At least one check is `fail` or `error`; for `scan`, at least one finding. */
  problems: 1,
  /** Bad usage or bad configuration: nothing was audited. */
  usage: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
