import { AuthorizationErrorException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseAlertState, serializeAlertState } from '../../lambda/alerts/alert-state';
import { decideAlert } from '../../lambda/alerts/decide-alert';
import { buildDigest, runDigest } from '../../lambda/alerts/digest';
import { silentLogger } from '../../lambda/engine/logger';
import { Redactor } from '../../lambda/engine/redact';
import { auditResult, DEPLOYMENT, MemoryStateStore, storedState } from './fixtures';

expect.extend(allCustomMatcher);

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:openrouter-audit-alerts';
const sns = mockClient(SNSClient);
const at = (iso: string) => () => new Date(iso);

const result = () =>
  auditResult(
    { 'spend-trend': 'warn' },
    {
      credits: { values: { creditsRemainingUsd: 80, runwayDays: 42.5 } },
      spend: { values: { spendTodayUsd: 4.2, dailyBudgetUsd: 50, budgetUsedPercent: 8.4 } },
      'spend-trend': { values: { spendTodayUsd: 12, dailyAverageUsd: 3.5 } },
    },
  );

function deps(store: MemoryStateStore, now: () => Date) {
  return {
    stateStore: store,
    sns: { client: new SNSClient({ region: 'eu-west-1' }), topicArn: TOPIC },
    logger: silentLogger,
    now,
    redactor: new Redactor(),
  };
}

const settings = { digestHourUtc: 8, environmentName: 'prod', dashboardUrl: '' };

describe('daily digest', () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'd-1' });
  });

  it('sends one message with every check, credits, runway and spend against budget at the digest hour', async () => {
    const store = new MemoryStateStore(storedState());
    const outcome = await runDigest(result(), settings, deps(store, at('2026-11-30T08:05:00Z')));
    expect(outcome).toMatchObject({ kind: 'sent', day: '2026-11-30', snsDelivered: true });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.Subject).toBe('[OpenRouter audit] prod daily digest 2026-11-30: 9 pass, 1 warn');
    const email = (JSON.parse(input?.Message ?? '{}') as { email: string }).email;
    expect(email).toContain('Credits left: $80.00, runway about 42.5 days');
    expect(email).toContain('Spend against budget: $4.20 of $50.00 today (8.4%)');
    for (const id of ['auth', 'credits', 'keys', 'providers', 'spend-trend'])
      expect(email).toMatch(new RegExp(`\\s${id}\\s`));
    expect(store.current?.digest?.day).toBe('2026-11-30');
  });

  it('never sends twice for one day: a later run and a retried invocation find the day claimed', async () => {
    const store = new MemoryStateStore(storedState());
    await runDigest(result(), settings, deps(store, at('2026-11-30T08:05:00Z')));
    const again = await runDigest(result(), settings, deps(store, at('2026-11-30T08:05:00Z')));
    const later = await runDigest(result(), settings, deps(store, at('2026-11-30T23:55:00Z')));
    expect(again.kind).toBe('already-sent');
    expect(later.kind).toBe('already-sent');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const tomorrow = await runDigest(result(), settings, deps(store, at('2026-12-01T08:00:00Z')));
    expect(tomorrow.kind).toBe('sent');
  });

  it('keeps the claim through alerting, which saves the same state after every run', async () => {
    const store = new MemoryStateStore(storedState());
    await runDigest(result(), settings, deps(store, at('2026-11-30T08:05:00Z')));
    const { next } = decideAlert({
      previous: store.current,
      result: result(),
      now: new Date('2026-11-30T09:00:00Z'),
      reminderHours: 24,
      deploymentId: DEPLOYMENT,
    });
    const roundTrip = parseAlertState(serializeAlertState(next));
    expect(roundTrip?.digest?.day).toBe('2026-11-30');
    store.current = roundTrip;
    expect((await runDigest(result(), settings, deps(store, at('2026-11-30T09:05:00Z')))).kind).toBe(
      'already-sent',
    );
  });

  it('sends nothing before the hour, when off, or when the day cannot be claimed', async () => {
    const store = new MemoryStateStore(storedState());
    expect((await runDigest(result(), settings, deps(store, at('2026-11-30T07:59:00Z')))).kind).toBe(
      'not-yet',
    );
    expect(
      (
        await runDigest(
          result(),
          { ...settings, digestHourUtc: undefined },
          deps(store, at('2026-11-30T12:00:00Z')),
        )
      ).kind,
    ).toBe('off');
    store.saveError = new Error('ssm down');
    expect((await runDigest(result(), settings, deps(store, at('2026-11-30T12:00:00Z')))).kind).toBe(
      'state-unavailable',
    );
    store.saveError = null;
    store.loadError = new Error('ssm down');
    expect((await runDigest(result(), settings, deps(store, at('2026-11-30T12:00:00Z')))).kind).toBe(
      'state-unavailable',
    );
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('gives the day back when SNS refuses, so a later run retries', async () => {
    sns
      .on(PublishCommand)
      .rejects(new AuthorizationErrorException({ message: 'denied', $metadata: { httpStatusCode: 403 } }));
    const store = new MemoryStateStore(storedState());
    const outcome = await runDigest(result(), settings, deps(store, at('2026-11-30T08:05:00Z')));
    expect(outcome.kind).toBe('failed');
    expect(store.current?.digest).toBeUndefined();
  });

  it('keeps the claim when the SNS outcome is unknown (no HTTP answer), as the digest may have gone out', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    const store = new MemoryStateStore(storedState());
    const outcome = await runDigest(result(), settings, deps(store, at('2026-11-30T08:05:00Z')));
    expect(outcome).toMatchObject({ kind: 'failed', snsDelivered: false, slackDelivered: null });
    expect(store.current?.digest?.day).toBe('2026-11-30');
  });

  it('publishes per protocol: Chatbot JSON by default and over https, plain text by e-mail', async () => {
    const store = new MemoryStateStore(storedState());
    await runDigest(result(), settings, deps(store, at('2026-11-30T08:05:00Z')));
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.MessageStructure).toBe('json');
    expect(input?.TopicArn).toBe(TOPIC);
    const message = JSON.parse(input?.Message ?? '{}') as Record<string, string>;
    expect(Object.keys(message).sort()).toEqual(['default', 'email', 'https']);
    for (const protocol of ['default', 'https']) {
      const chatbot = JSON.parse(message[protocol] ?? '{}');
      expect(chatbot).toMatchObject({
        version: '1.0',
        source: 'custom',
        content: { title: input?.Subject },
        metadata: { eventType: 'openrouter-audit.digest' },
      });
    }
    expect(message.email?.startsWith('OpenRouter audit, daily digest for 2026-11-30 (UTC), prod\n')).toBe(
      true,
    );
  });

  it('says what changed since yesterday', () => {
    const yesterday = buildDigest(
      auditResult({}, { credits: { values: { creditsRemainingUsd: 95 } } }),
      undefined,
      {
        day: '2026-11-29',
        environmentName: '',
        dashboardUrl: '',
      },
    );
    expect(yesterday.lines).toContain('  First digest: nothing to compare with yet.');
    const today = buildDigest(result(), yesterday.memory, {
      day: '2026-11-30',
      environmentName: '',
      dashboardUrl: '',
    });
    expect(today.lines).toContain('  spend-trend: PASS -> WARN');
    expect(today.lines).toContain('  Credits: $95.00 -> $80.00 (-$15.00)');
  });
});
