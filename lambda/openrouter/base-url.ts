import { isLoopbackHost } from '../http/loopback';
import { OpenRouterError } from './errors';

/** OpenRouter's public API root. */
export const DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';

/** A validated base URL, split the way undici's `request` wants it. */
export interface BaseUrl {
  /** `https://openrouter.ai` (scheme, host, port; no path, no credentials). */
  readonly origin: string;
  /** The path prefix without a trailing slash, e.g. `/api/v1` (may be empty). */
  readonly pathPrefix: string;
}

/**
 * Validates the base URL the client will send keys to. Plain http would put the key on the wire in
 * clear, so it is accepted only for loopback hosts (the local simulator). Credentials, a query or a
 * fragment in the URL are refused too: they would end up in logs or break path joining.
 * Messages never repeat the URL, which could hold a secret.
 * @throws OpenRouterError with code `INSECURE_BASE_URL`
 */
export function resolveBaseUrl(input: string = DEFAULT_BASE_URL): BaseUrl {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new OpenRouterError('INSECURE_BASE_URL', 'The OpenRouter base URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new OpenRouterError('INSECURE_BASE_URL', 'The OpenRouter base URL must use https');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new OpenRouterError(
      'INSECURE_BASE_URL',
      'The OpenRouter base URL must use https (plain http is allowed only for 127.0.0.1, localhost or [::1])',
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new OpenRouterError('INSECURE_BASE_URL', 'The OpenRouter base URL must not contain credentials');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new OpenRouterError(
      'INSECURE_BASE_URL',
      'The OpenRouter base URL must not contain a query or fragment',
    );
  }
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}
