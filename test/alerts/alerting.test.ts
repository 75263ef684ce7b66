import { randomBytes } from 'node:crypto';
import { AuthorizationErrorException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertingDeps, type AlertingSettings, runAlerting } from '../../lambda/alerts/alerting';
import { AlertError } from '../../lambda/alerts/errors';
import { Redactor } from '../../lambda/engine/redact';
import type { AuditResult } from '../../lambda/engine/result';
import { type FakeSlack, type SlackReply, startFakeSlack } from '../support/fake-slack';
import {
  auditResult,
  captureLogger,
  DEPLOYMENT,
  fakeKey,
  hoursAfter,
  MemoryStateStore,
  storedState,
} from './fixtures';

expect.extend(allCustomMatcher);

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:openrouter-audit-alerts';
const settings: AlertingSettings = {
  reminderHours: 24,
  environmentName: 'prod',
  dashboardUrl: 'https://example.com/dashboard',
  deploymentId: DEPLOYMENT,
};

const sns = mockClient(SNSClient);

function snsFails(message = 'canary-sns-sdk-message'): void {
  sns
    .on(PublishCommand)
    .rejects(new AuthorizationErrorException({ message, $metadata: { httpStatusCode: 403 } }));
}

describe('runAlerting', () => {
  let store: MemoryStateStore;
  let logger: ReturnType<typeof captureLogger>;
  let agent: Agent;
  let slack: FakeSlack | undefined;
  let token: string;
  let clock: Date;

  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
    store = new MemoryStateStore();
    logger = captureLogger();
    agent = new Agent();
    token = `canary${randomBytes(12).toString('hex')}`;
    clock = hoursAfter(1);
  });

  afterEach(async () => {
    await slack?.close();
    slack = undefined;
    await agent.close();
  });

  function deps(extra: Partial<AlertingDeps> = {}): AlertingDeps {
    return {
      stateStore: store,
      sns: { client: new SNSClient({ region: 'eu-west-1' }), topicArn: TOPIC },
      logger,
      now: () => clock,
      redactor: new Redactor(),
      dispatcher: agent,
      ...extra,
    };
  }

  async function withSlack(replies: SlackReply[]): Promise<Partial<AlertingDeps>> {
    slack = await startFakeSlack(replies, token);
    return { slackWebhookUrl: slack.url };
  }

  const run = (result: AuditResult, extra: Partial<AlertingDeps> = {}) =>
    runAlerting(result, settings, deps(extra));

  it('sends "monitoring started" on the first run and stores the state', async () => {
    const outcome = await run(auditResult());

    expect(outcome).toEqual({
      kind: 'started',
      subject: '[OpenRouter audit] Monitoring started: all checks pass (prod)',
      snsMessageId: 'msg-1',
      snsDelivered: true,
      slackDelivered: null,
      stateSaved: true,
      failures: [],
    });
    expect(sns).toHaveReceivedCommandExactlyOnceWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: outcome.subject,
      MessageStructure: 'json',
    });
    expect(store.saved).toHaveLength(1);
    expect(store.current?.deploymentId).toBe(DEPLOYMENT);
  });

  it('sends nothing when nothing changed, and still records the run', async () => {
    store.current = storedState();

    const outcome = await run(auditResult());

    expect(outcome).toEqual({
      kind: 'none',
      snsDelivered: null,
      slackDelivered: null,
      stateSaved: true,
      failures: [],
    });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(store.current?.updatedAt).toBe(clock.toISOString());
  });

  it('follows a failure through problem, silence, reminder and recovery', async () => {
    const kinds: string[] = [];
    const at = async (hours: number, result: AuditResult) => {
      clock = hoursAfter(hours);
      kinds.push((await run(result)).kind);
    };

    await at(0, auditResult());
    await at(1, auditResult({ credits: 'fail' }));
    await at(2, auditResult({ credits: 'fail' }));
    await at(24, auditResult({ credits: 'fail' }));
    await at(25, auditResult({ credits: 'fail' }));
    await at(26, auditResult());
    await at(27, auditResult());

    expect(kinds).toEqual(['started', 'problem', 'none', 'none', 'reminder', 'resolved', 'none']);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 4);
  });

  it('keeps the old state when SNS fails, so the next run sends the alert again', async () => {
    store.current = storedState();
    const before = store.current;
    snsFails();

    const failed = await run(auditResult({ credits: 'fail' }));

    expect(failed).toMatchObject({ kind: 'problem', snsDelivered: false, stateSaved: false });
    expect(failed.failures).toEqual([
      { channel: 'sns', reason: 'ALERT_DELIVERY_FAILED: SNS Publish failed (AuthorizationErrorException).' },
    ]);
    expect(store.current).toBe(before);

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'msg-2' });
    clock = hoursAfter(2);
    const retried = await run(auditResult({ credits: 'fail' }));

    expect(retried).toMatchObject({ kind: 'problem', snsDelivered: true, stateSaved: true });
  });

  it('still posts to Slack when SNS fails', async () => {
    snsFails();

    const outcome = await run(auditResult({ credits: 'fail' }), await withSlack([{ status: 200 }]));

    expect(outcome).toMatchObject({ snsDelivered: false, slackDelivered: true, stateSaved: false });
    expect(slack?.requests).toHaveLength(1);
    expect(JSON.parse(slack?.requests[0]?.body ?? '{}').text).toBe(outcome.subject);
  });

  it('still publishes to SNS and saves the state when Slack fails', async () => {
    const outcome = await run(
      auditResult({ credits: 'fail' }),
      await withSlack([{ status: 404, body: 'no_service' }]),
    );

    expect(outcome).toMatchObject({ snsDelivered: true, slackDelivered: false, stateSaved: true });
    expect(outcome.failures).toEqual([
      {
        channel: 'slack-webhook',
        reason: 'SLACK_DELIVERY_FAILED: Slack webhook POST failed: HTTP 404 (no_service) after 1 attempt.',
      },
    ]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('alerts anyway when the state is unreadable, and overwrites it', async () => {
    store.loadError = new AlertError('STATE_CORRUPT', 'The stored alert state is not JSON.');

    const outcome = await run(auditResult());

    expect(outcome).toMatchObject({ kind: 'started', snsDelivered: true, stateSaved: true });
    expect(outcome.subject).toBe('[OpenRouter audit] State unreadable: all checks pass (prod)');
    expect(outcome.failures).toEqual([
      { channel: 'state', reason: 'STATE_CORRUPT: The stored alert state is not JSON.' },
    ]);
    expect(logger.lines.some((l) => l.level === 'error' && l.message.includes('unreadable'))).toBe(true);
    expect(store.saved).toHaveLength(1);
  });

  it('reports a state that could not be saved after a delivered alert', async () => {
    store.saveError = new AlertError(
      'STATE_WRITE_FAILED',
      'Could not write the alert state parameter (ThrottlingException).',
    );

    const outcome = await run(auditResult({ credits: 'fail' }));

    expect(outcome).toMatchObject({ snsDelivered: true, stateSaved: false });
    expect(outcome.failures).toEqual([
      {
        channel: 'state',
        reason: 'STATE_WRITE_FAILED: Could not write the alert state parameter (ThrottlingException).',
      },
    ]);
  });

  it('never throws, and never quotes a foreign error that could hold a secret', async () => {
    const key = fakeKey('ef');
    store.loadError = new TypeError(`boom ${key}`);

    const outcome = await run(auditResult());

    expect(outcome.snsDelivered).toBe(true);
    expect(outcome.failures).toEqual([
      { channel: 'state', reason: 'STATE_UNREADABLE: the alert state could not be read.' },
    ]);
    expect(logger.text()).not.toContain(key);
  });

  it('keeps the webhook URL and keys out of the outcome, the logs and what is sent', async () => {
    const key = fakeKey('cd');
    const webhook = await withSlack([{ status: 500, body: token }]);
    const result = auditResult(
      { auth: 'fail' },
      { auth: { summary: `Refused ${key}`, remedy: `Rotate ${key} and check ${webhook.slackWebhookUrl}` } },
    );
    snsFails(`denied for ${key}`);
    const outcome = await run(result, webhook);

    const sent = JSON.stringify(sns.commandCalls(PublishCommand).map((c) => c.args[0].input));
    const posted = JSON.stringify(slack?.requests.map((r) => r.body));
    for (const where of [JSON.stringify(outcome), logger.text(), sent, posted]) {
      expect(where).not.toContain(key);
      expect(where).not.toContain(token);
    }
    expect(outcome).toMatchObject({ snsDelivered: false, slackDelivered: false });
    expect(sent).toContain('sk-or-v1-cdc...dcd');
    expect(sent).toContain('[REDACTED]');
  });

  it('ends the Slack delivery when the caller cancels, and still reports SNS', async () => {
    const controller = new AbortController();
    const pending = run(auditResult({ credits: 'fail' }), {
      ...(await withSlack(['hang'])),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);

    const outcome = await pending;

    expect(outcome).toMatchObject({ snsDelivered: true, slackDelivered: false, stateSaved: true });
    expect(outcome.failures).toEqual([
      {
        channel: 'slack-webhook',
        reason: 'SLACK_DELIVERY_FAILED: Slack webhook POST failed: cancelled after 1 attempt.',
      },
    ]);
  });
});
