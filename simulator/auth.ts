import type { AccountSnapshot } from './account';
import { errorReply, type Reply } from './reply';

/** Who sent a request, judged from its `Authorization` header. */
export type Caller =
  /** No header, or not `Bearer <token>`. */
  | { readonly kind: 'anonymous' }
  /** A bearer token the account does not know. */
  | { readonly kind: 'unknown' }
  | {
      readonly kind: 'key';
      /** The configured API key (whatever role the scenario gives it), as opposed to the management key. */
      readonly isApiKey: boolean;
      readonly isManagement: boolean;
      /** This key's `/key` body. */
      readonly currentKeyBody: string;
    };

export type KeyCaller = Extract<Caller, { kind: 'key' }>;

export interface KnownKeys {
  readonly apiKey: string;
  readonly managementKey: string;
}

const BEARER = /^Bearer +(\S+) *$/i;

/** The token of an `Authorization: Bearer …` header, if it has one. */
export const bearerToken = (authorization: string | undefined): string | undefined =>
  authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];

export function identifyCaller(
  authorization: string | undefined,
  keys: KnownKeys,
  account: AccountSnapshot,
): Caller {
  const token = bearerToken(authorization);
  if (token === undefined) return { kind: 'anonymous' };
  if (token === keys.managementKey) {
    return { kind: 'key', isApiKey: false, isManagement: true, currentKeyBody: account.managementKeyBody };
  }
  if (token === keys.apiKey && account.apiKeyRole !== 'unknown') {
    return {
      kind: 'key',
      isApiKey: true,
      isManagement: account.apiKeyRole === 'management',
      currentKeyBody: account.apiKeyBody,
    };
  }
  return { kind: 'unknown' };
}

/** The 401 OpenRouter gives a caller without a valid key. */
export function authenticationError(caller: Exclude<Caller, KeyCaller>): Reply {
  return errorReply(401, caller.kind === 'anonymous' ? 'No auth credentials found' : 'User not found.');
}

/** The 403 of an admin endpoint called with a regular key. */
export function managementOnlyError(): Reply {
  return errorReply(403, 'Only management keys can perform this operation');
}
