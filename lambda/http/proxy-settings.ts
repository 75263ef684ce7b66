/**
 * The proxy variables curl, npm and undici read: HTTPS_PROXY for https URLs, HTTP_PROXY for http
 * ones, NO_PROXY for hosts reached directly; lower case wins over upper case, as in curl.
 */
export interface ProxySettings {
  readonly httpsProxy: string;
  readonly httpProxy: string;
  readonly noProxy: string;
}

const read = (env: Readonly<Record<string, string | undefined>>, name: string): string =>
  (env[name.toLowerCase()] ?? env[name] ?? '').trim();

/** The proxy settings of an environment, or null when no proxy is set (requests go direct). */
export function proxySettings(env: Readonly<Record<string, string | undefined>>): ProxySettings | null {
  const settings = {
    httpsProxy: read(env, 'HTTPS_PROXY'),
    httpProxy: read(env, 'HTTP_PROXY'),
    noProxy: read(env, 'NO_PROXY'),
  };
  return settings.httpsProxy === '' && settings.httpProxy === '' ? null : settings;
}
