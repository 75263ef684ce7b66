const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * True for hosts that never leave the machine: 127.0.0.0/8, `localhost` and `[::1]`: the only hosts
 * plain http is allowed to (a key or a webhook URL must not cross a network in clear).
 * Expects a hostname normalised by `URL` (`127.1` → `127.0.0.1`, `LOCALHOST` → `localhost`).
 */
export function isLoopbackHost(hostname: string): boolean {
  return IPV4_LOOPBACK.test(hostname) || hostname === 'localhost' || hostname === '[::1]';
}
