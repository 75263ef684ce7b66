import type { SNSClient } from '@aws-sdk/client-sns';
import type { Dispatcher } from 'undici';
import type { Logger } from '../engine/logger';
import type { Redactor } from '../engine/redact';
import type { AuditResult, CheckId, CheckResult, CheckStatus, JsonValue } from '../engine/result';
import { muteNote } from '../render/mute-note';
import type { AlertState, DigestMemory, StateStore } from './alert-state';
import { isAlertError } from './errors';
import type { ChatbotNotification, RenderedAlert } from './render-alert';
import { SUBJECT_PREFIX } from './render-alert';
import { buildSlackMessage, postSlackWebhook } from './slack-webhook';
import { publishAlert } from './sns-publisher';

/**
 * The daily digest: once a UTC day, at the first run at or after `digestHourUtc`, one message with
 * every check, the money left and its runway, spend against budget, and what changed since the
 * previous digest, to the alert channels (SNS, and the Slack webhook when configured).
 *
 * Never twice for one day, even when the invocation is retried: the day is claimed in the alert
 * state (SSM) before anything is sent, and a run that cannot read or write the state sends
 * nothing. Only a send SNS refused outright gives the claim back, so that a later run retries; a
 * send whose outcome is unknown (a timeout) keeps it, as it may have gone out.
 */
export interface DigestSettings {
  /** UTC hour (0–23) from which the day's digest goes out; undefined = no digest. */
  readonly digestHourUtc: number | undefined;
  readonly environmentName: string;
  readonly dashboardUrl: string;
}

export interface DigestDeps {
  readonly stateStore: StateStore;
  readonly sns: { readonly client: SNSClient; readonly topicArn: string };
  readonly slackWebhookUrl?: string;
  readonly dispatcher?: Dispatcher;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly redactor: Redactor;
  readonly signal?: AbortSignal;
}

export type DigestOutcome =
  | { readonly kind: 'off' | 'not-yet' | 'already-sent' }
  | { readonly kind: 'state-unavailable'; readonly reason: string }
  | {
      readonly kind: 'sent' | 'failed';
      readonly day: string;
      readonly snsDelivered: boolean;
      readonly slackDelivered: boolean | null;
    };

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

const STATUS_WORD: Readonly<Record<CheckStatus, string>> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  error: 'ERROR',
  skip: 'SKIP',
};

const numberIn = (check: CheckResult | undefined, name: string): number | null => {
  const value: JsonValue | undefined = check?.values[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};

const money = (value: number | null): string => (value === null ? 'unknown' : `$${value.toFixed(2)}`);

/** The digest's text and its memory for tomorrow. Pure. */
export function buildDigest(
  result: AuditResult,
  previous: DigestMemory | undefined,
  context: { readonly day: string; readonly environmentName: string; readonly dashboardUrl: string },
): { readonly subject: string; readonly lines: readonly string[]; readonly memory: DigestMemory } {
  const byId = new Map(result.checks.map((c) => [c.id, c]));
  const credits = byId.get('credits');
  const spend = byId.get('spend');
  const trend = byId.get('spend-trend');
  const creditsUsd = numberIn(credits, 'creditsRemainingUsd');
  const runway = numberIn(credits, 'runwayDays');
  const counts = (['pass', 'warn', 'fail', 'error', 'skip'] as const)
    .map((s) => [s, result.checks.filter((c) => c.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const env = context.environmentName.trim();
  const subject =
    `${SUBJECT_PREFIX}${env === '' ? '' : ` ${env}`} daily digest ${context.day}: ${counts.join(', ')}`
      .replace(/[^\x20-\x7e]/g, '')
      .slice(0, 99);

  const lines: string[] = [
    `OpenRouter audit, daily digest for ${context.day} (UTC)${env === '' ? '' : `, ${env}`}`,
    '',
  ];
  lines.push('Money');
  lines.push(`  Credits left: ${money(creditsUsd)}${runway === null ? '' : `, runway about ${runway} days`}`);
  const spentToday = numberIn(spend, 'spendTodayUsd');
  const budget = numberIn(spend, 'dailyBudgetUsd');
  lines.push(
    budget === null
      ? `  Spend against budget: no daily budget set${spentToday === null ? '' : ` (${money(spentToday)} today)`}`
      : `  Spend against budget: ${money(spentToday)} of ${money(budget)} today (${numberIn(spend, 'budgetUsedPercent') ?? '?'}%)`,
  );
  const accountToday = numberIn(trend, 'spendTodayUsd');
  const average = numberIn(trend, 'dailyAverageUsd');
  if (accountToday !== null)
    lines.push(`  All keys: ${money(accountToday)} today; last 7 days ${money(average)} a day on average`);
  lines.push('');

  lines.push('Since yesterday');
  if (previous === undefined) {
    lines.push('  First digest: nothing to compare with yet.');
  } else {
    const changes = result.checks
      .filter((c) => previous.statuses[c.id] !== undefined && previous.statuses[c.id] !== c.status)
      .map((c) => `  ${c.id}: ${STATUS_WORD[previous.statuses[c.id] ?? 'skip']} -> ${STATUS_WORD[c.status]}`);
    const newChecks = result.checks.filter((c) => previous.statuses[c.id] === undefined).map((c) => c.id);
    if (changes.length === 0 && newChecks.length === 0) lines.push('  No check changed status.');
    lines.push(...changes);
    if (newChecks.length > 0) lines.push(`  New checks: ${newChecks.join(', ')}`);
    if (creditsUsd !== null && previous.creditsUsd !== null) {
      const delta = creditsUsd - previous.creditsUsd;
      lines.push(
        `  Credits: ${money(previous.creditsUsd)} -> ${money(creditsUsd)} (${delta >= 0 ? '+' : '-'}${money(Math.abs(delta))})`,
      );
    }
  }
  lines.push('');
  lines.push('Checks');
  const width = Math.max(...result.checks.map((c) => c.id.length), 5);
  for (const c of result.checks) {
    lines.push(`  ${STATUS_WORD[c.status].padEnd(5)}  ${c.id.padEnd(width)}  ${c.summary}${muteNote(c)}`);
  }
  if (context.dashboardUrl !== '') lines.push('', `Dashboard: ${context.dashboardUrl}`);

  const statuses: { [id in CheckId]?: CheckStatus } = {};
  for (const c of result.checks) statuses[c.id] = c.status;
  return { subject, lines, memory: { day: context.day, statuses, creditsUsd } };
}

function render(
  subject: string,
  lines: readonly string[],
  day: string,
  env: string,
  redactor: Redactor,
): RenderedAlert {
  const text = redactor.redact(`${lines.join('\n')}\n`);
  const chatbot: ChatbotNotification = redactor.redactDeep({
    version: '1.0',
    source: 'custom',
    id: `openrouter-audit-digest-${day}`,
    content: {
      textType: 'client-markdown',
      title: subject,
      description: `\`\`\`\n${lines.join('\n').slice(0, 3500)}\n\`\`\``,
      nextSteps: [],
      keywords: ['OpenRouter', 'digest'],
    },
    metadata: {
      threadId: `openrouter-audit-${env === '' ? 'default' : env.replace(/[^a-z0-9-]/gi, '-').toLowerCase()}-digest`,
      summary: subject,
      eventType: 'openrouter-audit.digest',
      additionalContext: { day },
    },
  });
  const chatbotJson = JSON.stringify(chatbot);
  return {
    subject: redactor.redact(subject),
    text,
    chatbot,
    snsMessage: JSON.stringify({ default: chatbotJson, email: text, https: chatbotJson }),
  };
}

const reasonOf = (error: unknown, redactor: Redactor): string =>
  redactor.redact(
    isAlertError(error) ? `${error.code}: ${error.message}` : 'the alert state could not be used',
  );

/** Sends today's digest when it is due and not yet claimed. Never throws. */
export async function runDigest(
  result: AuditResult,
  settings: DigestSettings,
  deps: DigestDeps,
): Promise<DigestOutcome> {
  const { logger, redactor } = deps;
  if (settings.digestHourUtc === undefined) return { kind: 'off' };
  const now = deps.now();
  if (now.getUTCHours() < settings.digestHourUtc) return { kind: 'not-yet' };
  const day = isoDay(now);

  let state: AlertState | null;
  try {
    state = await deps.stateStore.load();
  } catch (error) {
    const reason = reasonOf(error, redactor);
    logger.error('daily digest not sent: the alert state could not be read', { reason });
    return { kind: 'state-unavailable', reason };
  }
  if (state?.digest?.day === day) return { kind: 'already-sent' };

  const digest = buildDigest(result, state?.digest, {
    day,
    environmentName: settings.environmentName,
    dashboardUrl: settings.dashboardUrl,
  });
  const base: AlertState = state ?? {
    version: 1,
    deploymentId: '',
    updatedAt: now.toISOString(),
    checks: {},
  };
  try {
    await deps.stateStore.save({ ...base, digest: digest.memory });
  } catch (error) {
    const reason = reasonOf(error, redactor);
    logger.error('daily digest not sent: the day could not be claimed in the alert state', { reason });
    return { kind: 'state-unavailable', reason };
  }

  const rendered = render(digest.subject, digest.lines, day, settings.environmentName.trim(), redactor);
  const signal = deps.signal === undefined ? {} : { signal: deps.signal };
  const [sns, slack] = await Promise.all([
    publishAlert(deps.sns, rendered, signal).then(
      () => ({ ok: true as const }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    deps.slackWebhookUrl === undefined || deps.slackWebhookUrl.trim() === ''
      ? Promise.resolve(null)
      : postSlackWebhook(buildSlackMessage(rendered), {
          url: deps.slackWebhookUrl.trim(),
          redactor,
          logger,
          ...(deps.dispatcher === undefined ? {} : { dispatcher: deps.dispatcher }),
          ...signal,
        }).then(
          () => true,
          () => false,
        ),
  ]);
  if (!sns.ok) {
    const refused = !deps.signal?.aborted && isAlertError(sns.error) && sns.error.status !== undefined;
    logger.error('daily digest not delivered to SNS', { reason: reasonOf(sns.error, redactor), refused });
    // Refused outright: it did not go out, so a later run may send it. Slack, if it went, may repeat.
    if (refused && slack !== true) {
      try {
        await deps.stateStore.save(state ?? { ...base });
      } catch {
        // The claim stays: a missed digest is better than a repeated one.
      }
    }
    return { kind: 'failed', day, snsDelivered: false, slackDelivered: slack };
  }
  logger.info('daily digest sent', { day, slackDelivered: slack });
  return { kind: 'sent', day, snsDelivered: true, slackDelivered: slack };
}
