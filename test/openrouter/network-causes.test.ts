/**
 * A request that never got an answer says why, with the remedy for that cause: refused, DNS,
 * TLS, connect timeout, proxy. Refused and TLS happen for real on 127.0.0.1; DNS and the connect
 * timeout are played by an Agent whose connector fails the way Node's does (no name server or
 * black-holed route is reachable offline), which is where the client meets them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError, remedyForError } from '../../lambda/engine/describe-error';
import { createOpenRouterClient } from '../../lambda/openrouter/client';
import { OpenRouterError } from '../../lambda/openrouter/errors';
import { networkCause } from '../../lambda/openrouter/network-cause';
import { rejectionOf } from '../support/rejection';

const apiKey = `sk-or-v1-${'ef'.repeat(32)}`;
const noRetry = { maxRetries: 0 };

/** An Agent whose every connection attempt fails with a Node-style error carrying `code`. */
function failingAgent(code: string): Agent {
  return new Agent({
    connect: (_options, callback) => {
      callback(Object.assign(new Error(`simulated ${code}`), { code }), null);
    },
  });
}

let plainHttp: Server;
let plainHttpPort: number;
let closedPort: number;

beforeAll(async () => {
  plainHttp = createServer((_req, res) => res.end('{}'));
  await new Promise<void>((ready) => plainHttp.listen(0, '127.0.0.1', ready));
  plainHttpPort = (plainHttp.address() as AddressInfo).port;
  // A port that was just free: nothing listens there any more.
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((done) => probe.close(() => done()));
});

afterAll(async () => {
  await new Promise<void>((done) => plainHttp.close(() => done()));
});

describe('network failures name their cause', () => {
  it('says "connection refused" and points at the base URL when nothing listens', async () => {
    const client = createOpenRouterClient({
      baseUrl: `http://127.0.0.1:${closedPort}/api/v1`,
      apiKey,
      retry: noRetry,
    });
    const error = await rejectionOf(client.getCurrentKey(), OpenRouterError);
    await client.close();
    expect(networkCause(error)).toBe('refused');
    expect(describeError(error)).toBe('connection refused on /key (ECONNREFUSED)');
    expect(remedyForError(error)).toMatch(/^Nothing accepts connections at the base URL: check --base-url/);
    expect(remedyForError(error)).not.toContain('status.openrouter.ai');
  });

  it('says the TLS handshake failed when https meets a server that does not speak TLS', async () => {
    const client = createOpenRouterClient({
      baseUrl: `https://127.0.0.1:${plainHttpPort}/api/v1`,
      apiKey,
      retry: noRetry,
    });
    const error = await rejectionOf(client.getCurrentKey(), OpenRouterError);
    await client.close();
    expect(networkCause(error)).toBe('tls');
    expect(describeError(error)).toMatch(
      /^TLS handshake failed \(certificate or protocol rejected\) on \/key \(/,
    );
    expect(remedyForError(error)).toContain('NODE_EXTRA_CA_CERTS');
  });

  it.each([
    ['ENOTFOUND', 'dns', /^DNS lookup failed/, /host name does not resolve/],
    ['EAI_AGAIN', 'dns', /^DNS lookup failed/, /DNS/],
    ['CERT_HAS_EXPIRED', 'tls', /^TLS handshake failed/, /system clock/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls', /^TLS handshake failed/, /NODE_EXTRA_CA_CERTS/],
    ['UND_ERR_CONNECT_TIMEOUT', 'connect-timeout', /^connecting timed out/, /firewall/],
    ['ETIMEDOUT', 'connect-timeout', /^connecting timed out/, /firewall/],
    ['ECONNRESET', 'dropped', /./, /./],
    ['PROXY_ECONNREFUSED', 'proxy', /^the HTTP\(S\) proxy failed/, /HTTPS_PROXY \/ HTTP_PROXY/],
    ['PROXY_HTTP_407', 'proxy', /^the HTTP\(S\) proxy failed/, /credentials/],
  ])('reads %s as %s, with its own remedy', async (code, cause, summary, remedy) => {
    const dispatcher = failingAgent(code);
    const client = createOpenRouterClient({
      baseUrl: 'https://openrouter.example/api/v1',
      apiKey,
      retry: noRetry,
      dispatcher,
    });
    const error = await rejectionOf(client.getCurrentKey(), OpenRouterError);
    await dispatcher.close();
    expect(networkCause(error)).toBe(cause);
    expect(describeError(error)).toMatch(summary);
    expect(describeError(error)).toContain(`(${code})`);
    expect(remedyForError(error)).toMatch(remedy);
    expect(remedyForError(error)).toContain('docs/runbooks.md#cannot-reach-openrouter');
  });

  it('keeps the outage remedy for an HTTP 503, which is an answer, not a network cause', () => {
    const error = new OpenRouterError('HTTP_STATUS', 'OpenRouter answered 503', {
      status: 503,
      endpoint: '/key',
    });
    expect(networkCause(error)).toBeUndefined();
    expect(remedyForError(error)).toContain('status.openrouter.ai');
  });
});
