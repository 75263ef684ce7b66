import type { OpenRouterApi } from '../openrouter/types';
import type { Logger } from './logger';

/**
 * Every side effect the engine needs, passed in by its two adapters (the CLI and the Lambda
 * handler), so that the engine is tested against the simulator with no mocks of itself.
 */
export interface AuditDeps {
  readonly api: OpenRouterApi;
  readonly now: () => Date;
  readonly logger: Logger;
  /**
   * Creation date of the API key when the caller knows one (the Lambda passes the AWSCURRENT
   * secret version's date); used by `key-age` when there is no management key.
   */
  readonly keyCreatedAt?: { readonly date: Date; readonly source: string };
  /** Why no API key could be obtained (e.g. the secret is missing); `auth` fails with this reason. */
  readonly apiKeyProblem?: string;
  /** Why a configured management key could not be obtained; the management-key checks report it. */
  readonly managementKeyProblem?: string;
}

export interface AuditOptions {
  /** Overall deadline of the audit in ms; every check ends by then. @default 25000 */
  readonly timeoutMs?: number;
  /** Cancels the whole audit (e.g. the Lambda is about to time out). */
  readonly signal?: AbortSignal;
}

export const DEFAULT_AUDIT_TIMEOUT_MS = 25_000;
