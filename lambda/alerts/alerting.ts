import type { SNSClient } from '@aws-sdk/client-sns';
import type { Dispatcher } from 'undici';
import type { Logger } from '../engine/logger';
import type { Redactor } from '../engine/redact';
import type { AuditResult } from '../engine/result';
import type { AlertDeliveryChannel, AlertState, StateStore } from './alert-state';
import { type AlertKind, decideAlert } from './decide-alert';
import { isAlertError } from './errors';
import { type RenderedAlert, renderAlert } from './render-alert';
import { buildSlackMessage, postSlackWebhook } from './slack-webhook';
import { publishAlert } from './sns-publisher';

export interface AlertingSettings {
  /** Hours between reminders while a check stays failing. */
  readonly reminderHours: number;
  /** Short environment name for subjects, e.g. "prod"; may be empty. */
  readonly environmentName: string;
  /** CloudWatch dashboard link put in alerts; may be empty. */
  readonly dashboardUrl: string;
  /** Identifies the deployment; a new value sends "monitoring started". */
  readonly deploymentId: string;
  /** Minutes between scheduled runs: a longer gap sends "monitoring resumed". @default - no gap detection */
  readonly schedulePeriodMinutes?: number;
}

export interface AlertingDeps {
  readonly stateStore: StateStore;
  readonly sns: { readonly client: SNSClient; readonly topicArn: string };
  /** Optional Slack incoming webhook; a secret (never logged). */
  readonly slackWebhookUrl?: string;
  /**
   * A webhook is configured but its URL could not be read this run: an alert due counts as not
   * delivered to Slack, and is sent there again by a later run.
   */
  readonly slackWebhookUnavailable?: boolean;
  readonly dispatcher?: Dispatcher;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Knows every secret of the run; the webhook URL is added to it here too. */
  readonly redactor: Redactor;
  /** Cancels delivery and the state calls (e.g. the Lambda is about to time out). */
  readonly signal?: AbortSignal;
  /**
   * Ends the state read sooner than `signal`: a hung read must leave time to alert and to save.
   * @default signal
   */
  readonly stateReadSignal?: AbortSignal;
}

export type AlertChannel = 'sns' | 'slack-webhook' | 'state';

export interface AlertingFailure {
  readonly channel: AlertChannel;
  /** Short, fixed-form and redacted: safe to log and to put in a metric's log line. */
  readonly reason: string;
}

export interface AlertingOutcome {
  readonly kind: AlertKind | 'none';
  readonly subject?: string;
  /** SNS MessageId of the alert, when one was published. */
  readonly snsMessageId?: string;
  /** null: nothing to send. */
  readonly snsDelivered: boolean | null;
  /** null: nothing to send, or no webhook configured. */
  readonly slackDelivered: boolean | null;
  /** Whether the next state was stored (it is not after a failed SNS delivery: see runAlerting). */
  readonly stateSaved: boolean;
  /** Channels the stored state marks for redelivery by the next run. */
  readonly undelivered?: readonly AlertDeliveryChannel[];
  readonly failures: readonly AlertingFailure[];
}

function reasonOf(error: unknown, redactor: Redactor, fallback: string): string {
  // Only our own errors carry messages fit for a log; a foreign error (a bug) is named, not quoted.
  const text = isAlertError(error) ? `${error.code}: ${error.message}` : fallback;
  return redactor.redact(text);
}

/**
 * Loads the alert state, decides, renders, delivers, and stores the next state. Never throws:
 * the outcome says what happened and the handler decides (an undelivered SNS alert must end the
 * invocation in error, after metrics are published, so the Lambda Errors alarm fires).
 *
 * Ordering and its reasons:
 * - an unreadable state is logged and an alert goes out anyway (never silent);
 * - SNS and the Slack webhook are sent concurrently and independently: one failing does not stop
 *   the other;
 * - the next state is saved only when there was nothing to send or SNS took the alert. After a
 *   failed SNS delivery the old state stays, so the next run detects the same change and tries
 *   again; the price is that a Slack message that did go out may be repeated then, which beats
 *   an e-mail that never comes. Slack alone does not gate the save: it is optional, and a
 *   permanently broken webhook must not turn every run into a repeat alert.
 */
export async function runAlerting(
  result: AuditResult,
  settings: AlertingSettings,
  deps: AlertingDeps,
): Promise<AlertingOutcome> {
  const { logger, redactor } = deps;
  if (deps.slackWebhookUrl !== undefined) redactor.add(deps.slackWebhookUrl);
  const failures: AlertingFailure[] = [];
  const fail = (channel: AlertChannel, reason: string): void => {
    failures.push({ channel, reason });
  };

  try {
    let previous: AlertState | null | 'unreadable';
    try {
      const signals = [deps.signal, deps.stateReadSignal].filter((s) => s !== undefined);
      previous = await deps.stateStore.load(signals.length === 0 ? {} : { signal: AbortSignal.any(signals) });
    } catch (error) {
      previous = 'unreadable';
      const reason = reasonOf(error, redactor, 'STATE_UNREADABLE: the alert state could not be read.');
      fail('state', reason);
      logger.error('alert state unreadable; alerting anyway', { reason });
    }

    const now = deps.now();
    const { alert, next, channels } = decideAlert({
      previous,
      result,
      now,
      reminderHours: settings.reminderHours,
      deploymentId: settings.deploymentId,
      ...(settings.schedulePeriodMinutes === undefined
        ? {}
        : { schedulePeriodMinutes: settings.schedulePeriodMinutes }),
    });

    const save = async (undelivered: readonly AlertDeliveryChannel[] = []): Promise<boolean> => {
      const state: AlertState =
        alert === null || undelivered.length === 0
          ? next
          : { ...next, undelivered: { channels: undelivered, kind: alert.kind, at: now.toISOString() } };
      try {
        await deps.stateStore.save(state, deps.signal === undefined ? {} : { signal: deps.signal });
        return true;
      } catch (error) {
        const reason = reasonOf(error, redactor, 'STATE_WRITE_FAILED: the alert state could not be written.');
        fail('state', reason);
        logger.error('alert state not saved', { reason });
        return false;
      }
    };

    if (alert === null) {
      const stateSaved = await save();
      logger.info('no alert: nothing changed', { stateSaved });
      return { kind: 'none', snsDelivered: null, slackDelivered: null, stateSaved, failures };
    }

    const rendered: RenderedAlert = renderAlert(alert, {
      environmentName: settings.environmentName,
      dashboardUrl: settings.dashboardUrl,
      runAt: now,
      redactor,
    });

    const sendSns = async (): Promise<string | null> => {
      try {
        return await publishAlert(
          deps.sns,
          rendered,
          deps.signal === undefined ? {} : { signal: deps.signal },
        );
      } catch (error) {
        const reason = reasonOf(error, redactor, 'ALERT_DELIVERY_FAILED: SNS Publish failed.');
        fail('sns', reason);
        logger.error('alert not delivered to SNS', { reason, kind: alert.kind });
        return null;
      }
    };
    const sendSlack = async (url: string): Promise<boolean> => {
      try {
        await postSlackWebhook(buildSlackMessage(rendered), {
          url,
          redactor,
          logger,
          ...(deps.dispatcher === undefined ? {} : { dispatcher: deps.dispatcher }),
          ...(deps.signal === undefined ? {} : { signal: deps.signal }),
        });
        return true;
      } catch (error) {
        const reason = reasonOf(error, redactor, 'SLACK_DELIVERY_FAILED: the Slack webhook POST failed.');
        fail('slack-webhook', reason);
        logger.error('alert not delivered to the Slack webhook', { reason, kind: alert.kind });
        return false;
      }
    };

    // A redelivery goes only to the channels that missed the alert.
    const to = (channel: AlertDeliveryChannel): boolean =>
      channels === undefined || channels.includes(channel);
    const webhookUrl = deps.slackWebhookUrl?.trim() ?? '';
    const slackExpected = to('slack-webhook') && (webhookUrl !== '' || deps.slackWebhookUnavailable === true);
    // Both channels start at once, but the state is saved as soon as SNS took the alert, while a
    // slow Slack host (one that never completes TLS, say) may still be waited for: the webhook is
    // recorded as missed until it answers, so a function stopped meanwhile redelivers it next run.
    const slack: Promise<boolean | null> = !to('slack-webhook')
      ? Promise.resolve(null)
      : webhookUrl !== ''
        ? sendSlack(webhookUrl)
        : Promise.resolve(deps.slackWebhookUnavailable === true ? false : null);
    const messageId = to('sns') ? await sendSns() : undefined;
    const snsDelivered: boolean | null = messageId === undefined ? null : messageId !== null;
    // After a failed SNS delivery the old state stays: the next run detects the change again.
    let stateSaved = snsDelivered === false ? false : await save(slackExpected ? ['slack-webhook'] : []);
    const slackDelivered: boolean | null = await slack;
    const undelivered: AlertDeliveryChannel[] = slackDelivered === false ? ['slack-webhook'] : [];
    if (stateSaved && slackExpected && slackDelivered !== false) stateSaved = await save([]);

    const complete = snsDelivered !== false && slackDelivered !== false;
    logger.info(complete ? 'alert delivered' : 'alert delivery incomplete', {
      kind: alert.kind,
      reason: alert.reason,
      subject: rendered.subject,
      snsDelivered,
      slackDelivered,
      stateSaved,
    });
    return {
      kind: alert.kind,
      subject: rendered.subject,
      ...(typeof messageId === 'string' ? { snsMessageId: messageId } : {}),
      snsDelivered,
      slackDelivered,
      stateSaved,
      ...(stateSaved && undelivered.length > 0 ? { undelivered } : {}),
      failures,
    };
  } catch (error) {
    // A bug in deciding or rendering: report it as an undelivered alert so the handler fails the
    // invocation and the Errors alarm shows it, rather than losing the alert silently.
    const reason = redactor.redact(
      `ALERT_INTERNAL: alerting failed (${error instanceof Error ? error.name : 'unknown'}).`,
    );
    fail('sns', reason);
    logger.error('alerting failed', { reason });
    return { kind: 'none', snsDelivered: false, slackDelivered: null, stateSaved: false, failures };
  }
}
