import { randomBytes } from 'node:crypto';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAlertState, serializeAlertState } from '../../lambda/alerts/alert-state';
import { type AlertingDeps, type AlertingSettings, runAlerting } from '../../lambda/alerts/alerting';
import { Redactor } from '../../lambda/engine/redact';
import type { AuditResult } from '../../lambda/engine/result';
import { type FakeSlack, type SlackReply, startFakeSlack } from '../support/fake-slack';
import { auditResult, captureLogger, hoursAfter, MemoryStateStore, storedState } from './fixtures';

expect.extend(allCustomMatcher);

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:openrouter-audit-alerts';
const settings: AlertingSettings = {
  reminderHours: 24,
  environmentName: 'prod',
  dashboardUrl: '',
  deploymentId: 'deploy-1',
  schedulePeriodMinutes: 60,
};

const sns = mockClient(SNSClient);

describe('an alert that missed a channel is sent again by the next run', () => {
  let store: MemoryStateStore;
  let agent: Agent;
  let slack: FakeSlack | undefined;
  let clock: Date;

  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
    store = new MemoryStateStore(storedState());
    agent = new Agent();
    clock = hoursAfter(1);
  });

  afterEach(async () => {
    await slack?.close();
    slack = undefined;
    await agent.close();
  });

  async function slackReplying(replies: SlackReply[]): Promise<Partial<AlertingDeps>> {
    slack = await startFakeSlack(replies, `canary${randomBytes(8).toString('hex')}`);
    return { slackWebhookUrl: slack.url };
  }

  const run = (result: AuditResult, extra: Partial<AlertingDeps>) =>
    runAlerting(result, settings, {
      stateStore: store,
      sns: { client: new SNSClient({ region: 'eu-west-1' }), topicArn: TOPIC },
      logger: captureLogger(),
      now: () => clock,
      redactor: new Redactor(),
      dispatcher: agent,
      ...extra,
    });

  it('records the Slack miss in the state, then posts to Slack only, once', async () => {
    const webhook = await slackReplying([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }]);

    const missed = await run(auditResult({ credits: 'fail' }), webhook);
    expect(missed).toMatchObject({ kind: 'problem', snsDelivered: true, slackDelivered: false });
    expect(missed.undelivered).toEqual(['slack-webhook']);
    expect(store.current?.undelivered).toEqual({
      channels: ['slack-webhook'],
      kind: 'problem',
      at: clock.toISOString(),
    });

    clock = hoursAfter(2);
    const again = await run(auditResult({ credits: 'fail' }), webhook);
    expect(again).toMatchObject({ kind: 'problem', snsDelivered: null, slackDelivered: true });
    expect(again.subject).toBe('[OpenRouter audit] Sent again: FAIL credits (prod)');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(store.current?.undelivered).toBeUndefined();

    clock = hoursAfter(3);
    expect((await run(auditResult({ credits: 'fail' }), webhook)).kind).toBe('none');
    expect(slack?.requests).toHaveLength(4);
  });

  it('counts a webhook whose URL could not be read as a miss, to send again later', async () => {
    const outcome = await run(auditResult({ credits: 'fail' }), { slackWebhookUnavailable: true });

    expect(outcome).toMatchObject({ snsDelivered: true, slackDelivered: false, stateSaved: true });
    expect(store.current?.undelivered?.channels).toEqual(['slack-webhook']);
  });

  it('keeps the record in the stored form, and drops nothing else', () => {
    const state = {
      ...storedState(),
      undelivered: { channels: ['slack-webhook'], kind: 'reminder', at: clock.toISOString() },
    } as const;
    expect(parseAlertState(serializeAlertState(state))).toEqual(state);
  });
});

describe('monitoring resumed after a gap (the heartbeat alarm has no OK action)', () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
  });

  const runAt = (store: MemoryStateStore, hours: number) =>
    runAlerting(auditResult(), settings, {
      stateStore: store,
      sns: { client: new SNSClient({ region: 'eu-west-1' }), topicArn: TOPIC },
      logger: captureLogger(),
      now: () => hoursAfter(hours),
      redactor: new Redactor(),
    });

  it('announces the recovery on the first run more than two periods after the last one', async () => {
    const outcome = await runAt(new MemoryStateStore(storedState()), 5);

    expect(outcome.kind).toBe('resolved');
    expect(outcome.subject).toBe('[OpenRouter audit] Monitoring resumed: all checks pass (prod)');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('stays silent after an ordinary interval', async () => {
    const outcome = await runAt(new MemoryStateStore(storedState()), 2);

    expect(outcome.kind).toBe('none');
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });
});
