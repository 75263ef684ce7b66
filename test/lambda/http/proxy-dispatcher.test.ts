import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertError } from '../../../lambda/alerts/errors';
import { postSlackWebhook } from '../../../lambda/alerts/slack-webhook';
import { Redactor } from '../../../lambda/engine/redact';
import { createProxyDispatcher, tunnelRefusalCode } from '../../../lambda/http/proxy-dispatcher';
import { proxySettings } from '../../../lambda/http/proxy-settings';
import { type LocalProxy, startLocalProxy } from '../../support/local-proxy';

let proxy: LocalProxy;

beforeAll(async () => {
  // Tunnels nothing: every CONNECT is recorded and refused with 403.
  proxy = await startLocalProxy({});
});

afterAll(async () => {
  await proxy.close();
});

describe('proxySettings', () => {
  it.each([
    [{}, null],
    [{ NO_PROXY: 'example.com' }, null],
    [
      { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'a.example' },
      { httpsProxy: 'http://p:3128', httpProxy: '', noProxy: 'a.example' },
    ],
    [
      { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2', http_proxy: ' http://h:3 ' },
      { httpsProxy: 'http://lower:1', httpProxy: 'http://h:3', noProxy: '' },
    ],
  ])('reads %j as %j', (env, expected) => {
    expect(proxySettings(env)).toEqual(expected);
  });
});

describe('the Slack webhook through HTTPS_PROXY', () => {
  it('asks the proxy for a tunnel to the webhook host, and names the proxy when it refuses', async () => {
    const settings = proxySettings({ HTTPS_PROXY: proxy.url });
    if (settings === null) throw new Error('no proxy settings');
    const { dispatcher, close } = createProxyDispatcher(settings);
    const url = `https://hooks.slack.example/services/T000/B000/${'x'.repeat(24)}`;
    let failure: unknown;
    try {
      await postSlackWebhook(
        { text: 'audit', blocks: [] },
        { url, redactor: new Redactor(), dispatcher, maxAttempts: 1 },
      );
    } catch (error) {
      failure = error;
    } finally {
      await close();
    }
    expect(proxy.connects).toContain('hooks.slack.example:443');
    expect(failure).toBeInstanceOf(AlertError);
    expect((failure as AlertError).message).toContain('network error (PROXY_HTTP_403)');
    expect((failure as AlertError).message).not.toContain('xxxxxxxx');
  });
});

describe('tunnelRefusalCode', () => {
  it.each([
    ['Proxy response (407) !== 200 when HTTP Tunneling', 'PROXY_HTTP_407'],
    ['Request aborted', null],
  ])('reads %j as %s', (message, code) => {
    expect(tunnelRefusalCode(new Error(message))).toBe(code);
  });
});
