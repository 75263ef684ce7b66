/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY, through the built CLI in a child process. The "remote"
 * OpenRouter is https://openrouter.example: a name that resolves nowhere, reachable only through
 * the local proxy, which tunnels it to a TLS front (certificate trusted with NODE_EXTRA_CA_CERTS)
 * of the simulator. An audit that passes therefore went through the proxy.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../lambda/render/json';
import { startSimulator } from '../../simulator/server';
import type { Simulator } from '../../simulator/types';
import { type LocalProxy, startLocalProxy, startTlsFront, type TlsFront } from '../support/local-proxy';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'dist', 'openrouter-audit.mjs');
const REMOTE = 'openrouter.example';

let simulator: Simulator;
let front: TlsFront;
let proxy: LocalProxy;
let demandsCredentials: LocalProxy;

beforeAll(async () => {
  simulator = await startSimulator();
  const simulatorPort = Number(new URL(simulator.baseUrl).port);
  front = await startTlsFront(REMOTE, simulatorPort);
  proxy = await startLocalProxy({ [`${REMOTE}:443`]: front.port });
  demandsCredentials = await startLocalProxy({}, 407);
});

afterAll(async () => {
  await proxy.close();
  await demandsCredentials.close();
  await front.close();
  await simulator.close();
});

function audit(
  env: Record<string, string>,
  args: readonly string[] = [],
): Promise<{ code: number; report: JsonReport; stderr: string }> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [bin, '--format', 'json', ...args],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_EXTRA_CA_CERTS: front.caFile,
          OPENROUTER_API_KEY: simulator.apiKey,
          OPENROUTER_MANAGEMENT_KEY: simulator.managementKey,
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        try {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
          done({ code, report: JSON.parse(stdout) as JsonReport, stderr });
        } catch (parseError) {
          fail(new Error(`no JSON report; stderr: ${stderr}`, { cause: parseError }));
        }
      },
    );
  });
}

const auth = (report: JsonReport) => report.checks.find((c) => c.id === 'auth');
const remote = { OPENROUTER_BASE_URL: `https://${REMOTE}/api/v1` };

describe('proxies', () => {
  it('sends OpenRouter requests through HTTPS_PROXY, and the audit passes', async () => {
    const before = proxy.connects.length;
    const { code, report } = await audit({ ...remote, HTTPS_PROXY: proxy.url });
    expect(auth(report)?.status).toBe('pass');
    expect(proxy.connects.slice(before)).toContain(`${REMOTE}:443`);
    expect(code).toBe(0);
  });

  it('reads the lower-case https_proxy too', async () => {
    const before = proxy.connects.length;
    const { report } = await audit({ ...remote, https_proxy: proxy.url });
    expect(auth(report)?.status).toBe('pass');
    expect(proxy.connects.length).toBeGreaterThan(before);
  });

  it('goes direct for a host listed in NO_PROXY (which does not resolve here), never through the proxy', async () => {
    const before = proxy.connects.length;
    const { report } = await audit({ ...remote, HTTPS_PROXY: proxy.url, NO_PROXY: `localhost,.${REMOTE}` });
    expect(proxy.connects.slice(before)).toEqual([]);
    expect(auth(report)?.status).toBe('error');
    expect(auth(report)?.summary).not.toContain('proxy');
  });

  it('never proxies loopback: --simulate passes with every proxy variable pointing at the proxy', async () => {
    const before = proxy.connects.length;
    const { code } = await audit({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, ALL_PROXY: proxy.url }, [
      '--simulate',
    ]);
    expect(proxy.connects.slice(before)).toEqual([]);
    expect(code).toBe(0);
  });

  it('names the proxy as the cause when it demands credentials (407)', async () => {
    const { report, stderr } = await audit({ ...remote, HTTPS_PROXY: demandsCredentials.url });
    expect(auth(report)?.summary).toContain('the HTTP(S) proxy failed on /key (PROXY_HTTP_407)');
    expect(auth(report)?.remedy).toMatch(
      /HTTPS_PROXY \/ HTTP_PROXY could not be reached or refused the tunnel/,
    );
    expect(stderr).not.toMatch(/Warning/);
  });

  it('names the proxy as the cause when nothing listens at its address', async () => {
    const { report } = await audit({ ...remote, HTTPS_PROXY: 'http://127.0.0.1:9' });
    expect(auth(report)?.summary).toContain('the HTTP(S) proxy failed on /key (PROXY_ECONNREFUSED)');
  });
});
