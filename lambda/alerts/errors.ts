/**
 * The error family of the alerting side of the runtime. Callers branch on `code`, never on
 * `message`. Messages are short and fixed: they never carry a raw SDK or network error, a
 * webhook URL or a key; the foreign error stays in `cause` (never logged or rendered).
 */
export type AlertErrorCode =
  /** The stored alert state could not be fetched (SDK error, access denied, throttled). */
  | 'STATE_UNREADABLE'
  /** The stored alert state is not the JSON this version writes. */
  | 'STATE_CORRUPT'
  /** The alert state could not be written. */
  | 'STATE_WRITE_FAILED'
  /** The serialized state would exceed the free standard-tier parameter size. */
  | 'STATE_TOO_LARGE'
  /** SNS Publish failed. */
  | 'ALERT_DELIVERY_FAILED'
  /** The Slack incoming-webhook POST failed after its retries. */
  | 'SLACK_DELIVERY_FAILED'
  /** The Slack webhook URL is not an https URL (or plain http to loopback). */
  | 'SLACK_WEBHOOK_INVALID';

export interface AlertErrorDetails {
  /** The AWS error name (e.g. `AuthorizationErrorException`), when an AWS call failed. */
  readonly awsErrorName?: string;
  /** HTTP status of the last attempt, when one was received. */
  readonly status?: number;
  /** How many requests were sent in all (1 + retries). */
  readonly attempts?: number;
  readonly cause?: unknown;
}

export class AlertError extends Error {
  override readonly name = 'AlertError';
  readonly awsErrorName?: string;
  readonly status?: number;
  readonly attempts?: number;

  constructor(
    readonly code: AlertErrorCode,
    message: string,
    details: AlertErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.awsErrorName = details.awsErrorName;
    this.status = details.status;
    this.attempts = details.attempts;
  }
}

export const isAlertError = (e: unknown): e is AlertError => e instanceof AlertError;

const SAFE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,79}$/;

/**
 * The name of an AWS SDK error, when it looks like one (a service exception name such as
 * `ThrottlingException`); anything else becomes `UnknownError` so no free text leaks through.
 */
export function awsErrorName(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'name' in error) {
    const { name } = error;
    if (typeof name === 'string' && SAFE_NAME.test(name)) return name;
  }
  return 'UnknownError';
}

/** The HTTP status an AWS SDK error carries in `$metadata`, if any. */
export function awsHttpStatus(error: unknown): number | undefined {
  if (error !== null && typeof error === 'object' && '$metadata' in error) {
    const meta = error.$metadata;
    if (meta !== null && typeof meta === 'object' && 'httpStatusCode' in meta) {
      const status = meta.httpStatusCode;
      if (typeof status === 'number') return status;
    }
  }
  return undefined;
}
