import type { IncomingHttpHeaders } from 'node:http';
import type { AccountSnapshot } from './account';
import type { Caller, KnownKeys } from './auth';
import type { GenerationStore } from './generations';
import type { LoadShaper } from './load';
import type { Reply } from './reply';

/** The simulator's live state, shared by every route. */
export interface SimulatorState {
  readonly keys: KnownKeys;
  /** Replaced as a whole when the scenario changes. */
  account: AccountSnapshot;
  readonly generations: GenerationStore;
  readonly generationDelayMs: number;
  readonly creditsWithRegularKey: '403' | 'zeros';
  readonly now: () => Date;
  /** `--rate-limit` and `--error-rate` on completions. */
  readonly load: LoadShaper;
}

/** A JSON request body: parsed, absent, or not JSON. */
export type ParsedBody =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'invalid' };

export interface RouteRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: ParsedBody;
  /** Path parameters, e.g. `model` for the endpoints route. */
  readonly params: Readonly<Record<string, string>>;
  readonly caller: Caller;
}

export type RouteHandler = (request: RouteRequest, state: SimulatorState) => Reply;
