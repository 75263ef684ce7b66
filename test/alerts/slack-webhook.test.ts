import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideAlert } from '../../lambda/alerts/decide-alert';
import { AlertError } from '../../lambda/alerts/errors';
import { renderAlert } from '../../lambda/alerts/render-alert';
import {
  buildSlackMessage,
  postSlackWebhook,
  type SlackWebhookOptions,
} from '../../lambda/alerts/slack-webhook';
import { Redactor } from '../../lambda/engine/redact';
import { CHECK_IDS } from '../../lambda/engine/result';
import { type FakeSlack, type SlackReply, startFakeSlack } from '../support/fake-slack';
import { rejectionOf } from '../support/rejection';
import { auditResult, captureLogger, DEPLOYMENT, storedState, T0 } from './fixtures';

function rendered(overrides: Parameters<typeof auditResult>[1] = {}) {
  const result = auditResult({ credits: 'fail' }, overrides);
  const { alert } = decideAlert({
    previous: storedState(),
    result,
    now: T0,
    reminderHours: 24,
    deploymentId: DEPLOYMENT,
  });
  if (alert === null) throw new Error('the fixture was meant to alert');
  return renderAlert(alert, { environmentName: 'prod', dashboardUrl: 'https://example.com/d', runAt: T0 });
}

const message = buildSlackMessage(rendered());

const caught = (promise: Promise<unknown>) => rejectionOf(promise, AlertError);

describe('buildSlackMessage', () => {
  it('carries the subject as fallback text and the Chatbot content as blocks', () => {
    const alert = rendered();
    const slack = buildSlackMessage(alert);

    expect(slack.text).toBe(alert.subject);
    expect(slack.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: alert.subject, emoji: true },
    });
    const sections = slack.blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : []));
    expect(sections.join('\n')).toContain(alert.chatbot.content.description);
    expect(sections.join('\n')).toContain('*What to do*\n• *credits*: Fix credits.');
  });

  it('clips a subject longer than a Slack header (150 characters), keeping it whole as the fallback text', () => {
    const subject = `[OpenRouter audit] ${'x'.repeat(200)}`;
    const slack = buildSlackMessage({ ...rendered(), subject });
    expect(slack.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: `${subject.slice(0, 149)}…`, emoji: true },
    });
    expect(slack.text).toBe(subject);
  });

  it('splits a long description into sections within Slack limits', () => {
    const long = Object.fromEntries(CHECK_IDS.map((id) => [id, { summary: `${id} ${'word '.repeat(99)}` }]));
    const slack = buildSlackMessage(rendered(long));

    const sections = slack.blocks.filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(1);
    for (const block of sections) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
  });
});

describe('postSlackWebhook', () => {
  let slack: FakeSlack | undefined;
  let agent: Agent;
  let token: string;
  let redactor: Redactor;
  const logger = captureLogger();

  beforeEach(() => {
    agent = new Agent();
    // Built at run time: the webhook URL is a secret and must never surface anywhere.
    token = `canary${randomBytes(12).toString('hex')}`;
    redactor = new Redactor();
    logger.lines.length = 0;
  });

  afterEach(async () => {
    await slack?.close();
    slack = undefined;
    await agent.close();
  });

  async function post(replies: SlackReply[], options: Partial<SlackWebhookOptions> = {}) {
    slack = await startFakeSlack(replies, token);
    return postSlackWebhook(message, {
      url: slack.url,
      redactor,
      dispatcher: agent,
      logger,
      baseDelayMs: 10,
      ...options,
    });
  }

  function expectNoSecret(error: AlertError): void {
    const everything = `${error.message} ${JSON.stringify(error)} ${logger.text()}`;
    expect(everything).not.toContain(token);
    expect(everything).not.toContain('127.0.0.1');
  }

  it('POSTs the message as JSON', async () => {
    const outcome = await post([{ status: 200, body: 'ok' }]);

    expect(outcome).toEqual({ attempts: 1 });
    expect(slack?.requests).toHaveLength(1);
    expect(slack?.requests[0]).toMatchObject({ method: 'POST', url: `/services/T0000/B0000/${token}` });
    expect(slack?.requests[0]?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(slack?.requests[0]?.body ?? '')).toEqual(message);
  });

  it('retries a 5xx and succeeds', async () => {
    const outcome = await post([{ status: 503 }, { status: 200 }]);

    expect(outcome).toEqual({ attempts: 2 });
    expect(logger.lines.some((l) => l.level === 'warn' && l.fields?.reason === 'HTTP 503')).toBe(true);
  });

  it('backs off from baseDelayMs, doubling per retry, capped at maxDelayMs', async () => {
    const outcome = await post([{ status: 503 }, { status: 502 }, { status: 500 }, { status: 200 }], {
      maxAttempts: 4,
      baseDelayMs: 10,
      maxDelayMs: 30,
    });

    expect(outcome).toEqual({ attempts: 4 });
    const waits = logger.lines.filter((l) => l.level === 'warn').map((l) => l.fields?.delayMs);
    expect(waits).toEqual([10, 20, 30]);
  });

  it('waits as long as Retry-After asks before retrying a 429', async () => {
    const started = performance.now();
    const outcome = await post([{ status: 429, headers: { 'retry-after': '1' } }, { status: 200 }]);

    expect(outcome).toEqual({ attempts: 2 });
    // A lower bound only: without Retry-After the backoff here is 10 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('gives up after the last attempt with the last status', async () => {
    const error = await caught(post([{ status: 500 }], { maxAttempts: 3 }));

    expect(error).toMatchObject({ code: 'SLACK_DELIVERY_FAILED', status: 500, attempts: 3 });
    expect(error.message).toBe('Slack webhook POST failed: HTTP 500 after 3 attempts.');
    expect(slack?.requests).toHaveLength(3);
    expectNoSecret(error);
  });

  it.each([
    { status: 404, body: 'no_service' },
    { status: 400, body: 'invalid_payload' },
    { status: 403, body: 'action_prohibited' },
  ])('does not retry $status and reports Slack\'s reason "$body"', async ({ status, body }) => {
    const error = await caught(post([{ status, body }]));

    expect(error).toMatchObject({ code: 'SLACK_DELIVERY_FAILED', status, attempts: 1 });
    expect(error.message).toBe(`Slack webhook POST failed: HTTP ${status} (${body}) after 1 attempt.`);
    expect(slack?.requests).toHaveLength(1);
  });

  it('drops a response body that is not a Slack error token', async () => {
    const error = await caught(post([{ status: 400, body: `<html>${token}</html>` }]));

    expect(error.message).toBe('Slack webhook POST failed: HTTP 400 after 1 attempt.');
    expectNoSecret(error);
  });

  it('drops an error token that is part of the webhook URL (an endpoint echoing its path)', async () => {
    const error = await caught(post([{ status: 400, body: token }]));

    expect(error.message).toBe('Slack webhook POST failed: HTTP 400 after 1 attempt.');
    expectNoSecret(error);
  });

  it('retries a dropped connection', async () => {
    const outcome = await post(['destroy', { status: 200 }]);

    expect(outcome).toEqual({ attempts: 2 });
  });

  it('reports a refused connection as a network error, without the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo; // listen(0, host) always yields an AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await caught(
      postSlackWebhook(message, {
        url: `http://127.0.0.1:${port}/services/T0/B0/${token}`,
        redactor,
        dispatcher: agent,
        logger,
        baseDelayMs: 10,
        maxAttempts: 2,
      }),
    );

    expect(error.message).toBe('Slack webhook POST failed: network error (ECONNREFUSED) after 2 attempts.');
    expectNoSecret(error);
  });

  it('does not start a wait that would outlast its time budget', async () => {
    const error = await caught(
      post([{ status: 429, headers: { 'retry-after': '120' } }], { timeoutMs: 20_000, maxDelayMs: 60_000 }),
    );

    expect(error.message).toBe('Slack webhook POST failed: HTTP 429; no time left to retry after 1 attempt.');
    expect(slack?.requests).toHaveLength(1);
  });

  it('ends within its time budget when Slack does not answer', async () => {
    const error = await caught(post(['hang'], { timeoutMs: 300 }));

    expect(error.message).toBe('Slack webhook POST failed: no answer within 300 ms after 1 attempt.');
    expectNoSecret(error);
  });

  it('stops when the caller cancels', async () => {
    const controller = new AbortController();
    const pending = caught(post(['hang'], { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();

    expect((await pending).message).toBe('Slack webhook POST failed: cancelled after 1 attempt.');
  });

  it.each([
    { case: 'plain http to a public host', url: () => `http://hooks.example.com/services/${token}` },
    { case: 'not a URL', url: () => `hooks.slack.com/services/${token}` },
  ])('refuses $case without sending or echoing it', async ({ url }) => {
    const error = await caught(postSlackWebhook(message, { url: url(), redactor, dispatcher: agent }));

    expect(error.code).toBe('SLACK_WEBHOOK_INVALID');
    expectNoSecret(error);
  });

  it('registers the webhook URL with the redactor', async () => {
    await post([{ status: 200 }]);

    expect(redactor.redact(`posting to ${slack?.url}`)).toBe('posting to [REDACTED]');
  });
});
