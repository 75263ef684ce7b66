import { randomBytes } from 'node:crypto';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PublishCommand } from '@aws-sdk/client-sns';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAlarmNotification, renderAlarmNotification } from '../../lambda/alerts/alarm-notification';
import { isSnsEvent, type SnsEventLike } from '../../lambda/alerts/forward-alarms';
import { Redactor } from '../../lambda/engine/redact';
import { ENV } from '../../lambda/settings-names';
import { ALARM_NAME_SUFFIX } from '../../lib/alarms';
import { useSimulator } from '../support/audit-harness';
import { datumsOf, mockAwsClients, resetAwsMocks, SLACK_SECRET, secretString } from '../support/aws-mocks';
import { CANARY_WEBHOOK_HOST } from '../support/canary';
import { type FakeSlack, rerouteOrigin, type SlackReply, startFakeSlack } from '../support/fake-slack';
import { auditorRun } from '../support/lambda-run';

expect.extend(allCustomMatcher);

const sim = useSimulator();
const aws = mockAwsClients();

const ALARM_NAME = `OpenRouterAudit-prod-${ALARM_NAME_SUFFIX.heartbeat}`;

/** A CloudWatch alarm notification as CloudWatch publishes it to SNS (fields trimmed to those read). */
function alarmMessage(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    AlarmName: ALARM_NAME,
    AlarmDescription:
      'No OpenRouter audit has completed for two schedule periods. What to do: check the Errors alarm and the function log group.',
    AWSAccountId: '123456789012',
    NewStateValue: 'ALARM',
    NewStateReason: 'Threshold Crossed: 2 out of the last 2 datapoints were less than the threshold (1.0).',
    StateChangeTime: '2026-11-30T01:00:00.000+0000',
    Region: 'US East (N. Virginia)',
    AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${ALARM_NAME}`,
    OldStateValue: 'OK',
    Trigger: { MetricName: 'AuditCompleted', Namespace: 'OpenRouter/Audit' },
    ...overrides,
  });
}

const snsEvent = (...messages: string[]): SnsEventLike => ({
  Records: messages.map((Message) => ({
    EventSource: 'aws:sns',
    Sns: { Message, TopicArn: 'arn:aws:sns:us-east-1:123456789012:openrouter-audit' },
  })),
});

describe('parseAlarmNotification', () => {
  it('reads a CloudWatch alarm state change', () => {
    expect(parseAlarmNotification(alarmMessage())).toMatchObject({
      alarmName: ALARM_NAME,
      newState: 'ALARM',
      oldState: 'OK',
      reason: expect.stringContaining('Threshold Crossed'),
    });
  });

  it.each([
    ['the audit alert the function itself published', JSON.stringify({ version: '1.0', source: 'custom' })],
    ['text that is not JSON', 'hello'],
    ['an unknown state', alarmMessage({ NewStateValue: 'BROKEN' })],
    ['an alarm name that is not a string', alarmMessage({ AlarmName: 42 })],
  ])('takes %s for no alarm notification', (_case, message) => {
    expect(parseAlarmNotification(message)).toBeNull();
  });
});

describe('renderAlarmNotification', () => {
  it('words the alarm like an audit alert: prefix, state, alarm name, environment; "What to do" as next steps', () => {
    const alarm = parseAlarmNotification(alarmMessage());
    if (alarm === null) throw new Error('fixture is an alarm');
    const rendered = renderAlarmNotification(alarm, {
      environmentName: 'prod',
      dashboardUrl: 'https://example.com/dashboard',
      redactor: new Redactor(),
    });
    expect(rendered.subject).toBe(`[OpenRouter audit] ALARM ${ALARM_NAME} (prod)`);
    expect(rendered.chatbot.content.description).toContain('is now *ALARM* (was OK)');
    expect(rendered.chatbot.content.description).not.toContain('What to do');
    expect(rendered.chatbot.content.nextSteps).toEqual([
      'check the Errors alarm and the function log group.',
    ]);
    expect(rendered.chatbot.metadata.eventType).toBe('openrouter-audit.alarm.alarm');
  });
});

describe('renderAlarmNotification next steps and escaping', () => {
  const render = (overrides: Record<string, unknown>) => {
    const alarm = parseAlarmNotification(alarmMessage(overrides));
    if (alarm === null) throw new Error('fixture is an alarm');
    return renderAlarmNotification(alarm, {
      environmentName: '',
      dashboardUrl: '',
      redactor: new Redactor(),
    });
  };

  it.each(['OK', 'INSUFFICIENT_DATA'])('gives no "What to do" steps for an alarm that is now %s', (state) => {
    const rendered = render({ NewStateValue: state, OldStateValue: 'ALARM' });
    expect(rendered.chatbot.content.nextSteps).toEqual([]);
    expect(rendered.chatbot.content.description).toContain(`is now *${state}* (was ALARM)`);
  });

  it('escapes Slack control characters of a user-editable description and reason', () => {
    // Unescaped, `<!channel>` would notify the whole channel and `<url|text>` would disguise a link.
    const rendered = render({
      AlarmDescription: 'Spend <!channel> & <https://evil.example|the dashboard>',
      NewStateReason: 'value > 5 & < 9',
    });
    const { description } = rendered.chatbot.content;
    expect(description).toContain('Spend &lt;!channel&gt; &amp; &lt;https://evil.example|the dashboard&gt;');
    expect(description).toContain('_Reason:_ value &gt; 5 &amp; &lt; 9');
    expect(description).not.toContain('<!channel>');
  });
});

describe('isSnsEvent', () => {
  it('tells an SNS delivery from a scheduled invocation', () => {
    expect(isSnsEvent(snsEvent(alarmMessage()))).toBe(true);
    expect(isSnsEvent({})).toBe(false);
    expect(isSnsEvent({ Records: [] })).toBe(false);
    expect(isSnsEvent({ Records: [{ EventSource: 'aws:sqs' }] })).toBe(false);
  });
});

describe('forwarding alarm notifications to the Slack webhook (function subscribed to the topic)', () => {
  let agent: Agent;
  let slack: FakeSlack;
  let token: string;

  beforeEach(() => {
    resetAwsMocks(aws);
    agent = new Agent();
    token = `canary${randomBytes(12).toString('hex')}`;
    aws.sm
      .on(GetSecretValueCommand, { SecretId: SLACK_SECRET })
      .resolves(secretString(`https://${CANARY_WEBHOOK_HOST}/services/T0000/B0000/${token}`));
  });

  afterEach(async () => {
    await slack?.close();
    await agent.close();
  });

  async function forwarder(replies: SlackReply[]) {
    slack = await startFakeSlack(replies, token);
    return auditorRun({
      baseUrl: sim.current.baseUrl,
      env: { [ENV.slackWebhookSecretId]: SLACK_SECRET, [ENV.environmentName]: 'prod' },
      dispatcher: rerouteOrigin(agent, `https://${CANARY_WEBHOOK_HOST}`, slack.origin),
    });
  }

  it('posts the alarm to the webhook, and publishes nothing to SNS or CloudWatch', async () => {
    const h = await forwarder([{ status: 200 }]);

    const summary = await h.forward(snsEvent(alarmMessage()));

    expect(summary).toMatchObject({ forwarded: 1, ignored: 0, failed: [], failureMetricPublished: null });
    expect(slack.requests).toHaveLength(1);
    const posted = JSON.parse(slack.requests[0]?.body ?? '{}');
    expect(posted.text).toBe(`[OpenRouter audit] ALARM ${ALARM_NAME} (prod)`);
    expect(JSON.stringify(posted.blocks)).toContain('Threshold Crossed');
    expect(aws.sns).not.toHaveReceivedCommand(PublishCommand);
    expect(aws.cw).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  it("ignores the audit's own alerts, should the subscription filter ever let one through", async () => {
    const h = await forwarder([{ status: 200 }]);

    const summary = await h.forward(snsEvent(JSON.stringify({ version: '1.0', source: 'custom' })));

    expect(summary).toMatchObject({ forwarded: 0, ignored: 1, failed: [] });
    expect(slack.requests).toHaveLength(0);
  });

  it('counts an alarm Slack refused in AlertDeliveryFailures{Channel=slack-webhook}, without the URL', async () => {
    const h = await forwarder([{ status: 404, body: 'no_service' }]);

    const summary = await h.forward(snsEvent(alarmMessage(), alarmMessage({ NewStateValue: 'OK' })));

    expect(summary.forwarded).toBe(0);
    expect(summary.failed).toHaveLength(2);
    expect(summary.failed[0]).toContain('HTTP 404 (no_service)');
    expect(summary.failureMetricPublished).toBe(true);
    expect(datumsOf(aws, 'AlertDeliveryFailures')).toEqual([
      expect.objectContaining({ Value: 2, Dimensions: [{ Name: 'Channel', Value: 'slack-webhook' }] }),
    ]);
    const sent = aws.cw.commandCalls(PutMetricDataCommand).map((call) => call.args[0].input);
    const everything = JSON.stringify([summary, h.lines, sent]);
    expect(everything).not.toContain(token);
  });

  it('counts the alarms as undelivered when the webhook secret cannot be read', async () => {
    aws.sm.on(GetSecretValueCommand, { SecretId: SLACK_SECRET }).resolves(secretString('not a url'));
    const h = await forwarder([{ status: 200 }]);

    const summary = await h.forward(snsEvent(alarmMessage()));

    expect(summary.failed).toEqual(['SLACK_WEBHOOK_UNAVAILABLE: the Slack webhook URL could not be read.']);
    expect(slack.requests).toHaveLength(0);
    expect(datumsOf(aws, 'AlertDeliveryFailures')).toEqual([expect.objectContaining({ Value: 1 })]);
  });
});
