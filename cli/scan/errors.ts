/** Why a scan could not run at all (as opposed to findings, which are a normal outcome). */
export type ScanErrorCode =
  /** The directory to scan does not exist. */
  | 'ROOT_NOT_FOUND'
  /** The path to scan is not a directory. */
  | 'ROOT_NOT_DIRECTORY'
  /** The directory to scan cannot be listed (permissions): scanning nothing must not look clean. */
  | 'ROOT_UNREADABLE'
  /** The caller's signal aborted the scan. */
  | 'ABORTED';

/** The scan's one error type. Callers branch on `code`; messages are short and hold no secret. */
export class ScanError extends Error {
  override readonly name = 'ScanError';

  constructor(
    readonly code: ScanErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isScanError = (e: unknown): e is ScanError => e instanceof ScanError;
