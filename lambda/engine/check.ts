import type { Credits, CurrentKey, KeyInfo, KeyInventory, ModelInfo } from '../openrouter/types';
import type { AuditConfig } from './config';
import type { AuditDeps } from './deps';
import type { CheckId, CheckStatus, JsonValue } from './result';

/** The requests several checks need, made at most once per audit and shared. */
export interface SharedRequests {
  /** `GET /key` with the API key. */
  currentKey(): Promise<CurrentKey>;
  /** `GET /key` with the management key. */
  managementKeyInfo(): Promise<CurrentKey>;
  /** `GET /credits` with the management key. */
  credits(): Promise<Credits>;
  /** Every key of the account, all workspaces (management key): the keys of `keyInventory`. */
  allKeys(): Promise<readonly KeyInfo[]>;
  /** Every key of every workspace, the workspaces, and whether only the default one could be listed. */
  keyInventory(): Promise<KeyInventory>;
  /** `GET /models`. */
  models(): Promise<readonly ModelInfo[]>;
  /**
   * A result several checks derive (e.g. the budget layers over the key), computed once per
   * audit under `name`; a failure is shared like any request's.
   */
  memo<T>(name: string, load: () => Promise<T>): Promise<T>;
}

export interface CheckContext {
  readonly config: AuditConfig;
  readonly deps: AuditDeps;
  readonly shared: SharedRequests;
  /** The audit's start time: every date comparison of one audit uses the same instant. */
  readonly now: Date;
  /** Aborted at the audit's deadline. */
  readonly signal: AbortSignal;
  /** The deadline as epoch ms, so the client never starts a retry wait it cannot finish. */
  readonly deadlineAt: number;
}

/** What a check decides; the engine adds the id and the duration. */
export interface CheckOutcome {
  readonly status: CheckStatus;
  readonly summary: string;
  readonly remedy?: string;
  readonly values?: { readonly [name: string]: JsonValue };
}

/** A check is data plus a function; it should not throw, and the engine turns a throw into an `error` result. */
export interface Check {
  readonly id: CheckId;
  /** One line for the README and `--help`: what it verifies. */
  readonly title: string;
  run(context: CheckContext): Promise<CheckOutcome>;
}
