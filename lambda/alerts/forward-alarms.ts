import type { Dispatcher } from 'undici';
import type { Logger } from '../engine/logger';
import type { Redactor } from '../engine/redact';
import { parseAlarmNotification, renderAlarmNotification } from './alarm-notification';
import { isAlertError } from './errors';
import { buildSlackMessage, postSlackWebhook } from './slack-webhook';

/** The part of an SNS-to-Lambda event this module reads. */
export interface SnsEventLike {
  readonly Records: readonly {
    readonly EventSource?: string;
    readonly Sns?: { readonly Message?: string; readonly TopicArn?: string };
  }[];
}

/** True for the event SNS delivers to a subscribed Lambda function. */
export function isSnsEvent(event: unknown): event is SnsEventLike {
  if (event === null || typeof event !== 'object' || !('Records' in event)) return false;
  const { Records } = event;
  return (
    Array.isArray(Records) &&
    Records.length > 0 &&
    Records.every(
      (record: unknown) =>
        record !== null &&
        typeof record === 'object' &&
        'EventSource' in record &&
        record.EventSource === 'aws:sns',
    )
  );
}

export interface ForwardAlarmsDeps {
  /** The Slack incoming webhook; undefined when it could not be read (every alarm then fails). */
  readonly slackWebhookUrl: string | undefined;
  readonly environmentName: string;
  readonly dashboardUrl: string;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly dispatcher?: Dispatcher;
  readonly signal?: AbortSignal;
}

export interface ForwardOutcome {
  /** Alarm notifications posted to Slack. */
  readonly forwarded: number;
  /** Messages that are not alarm notifications (e.g. the audit's own alerts): nothing to do. */
  readonly ignored: number;
  /** Alarm notifications Slack did not take; each reason is fixed-form and redacted. */
  readonly failed: readonly string[];
}

/**
 * Posts each CloudWatch alarm notification of an SNS event to the Slack webhook, worded like the
 * audit's alerts. Never throws: the outcome says what failed, and the caller publishes the
 * `AlertDeliveryFailures` metric (whose alarm makes a lasting failure visible).
 */
export async function forwardAlarms(event: SnsEventLike, deps: ForwardAlarmsDeps): Promise<ForwardOutcome> {
  let forwarded = 0;
  let ignored = 0;
  const failed: string[] = [];
  for (const record of event.Records) {
    const alarm = parseAlarmNotification(record.Sns?.Message ?? '');
    if (alarm === null) {
      ignored += 1;
      continue;
    }
    const rendered = renderAlarmNotification(alarm, deps);
    if (deps.slackWebhookUrl === undefined || deps.slackWebhookUrl.trim() === '') {
      failed.push('SLACK_WEBHOOK_UNAVAILABLE: the Slack webhook URL could not be read.');
      deps.logger.error('alarm not forwarded: no Slack webhook URL', { subject: rendered.subject });
      continue;
    }
    try {
      await postSlackWebhook(buildSlackMessage(rendered), {
        url: deps.slackWebhookUrl.trim(),
        redactor: deps.redactor,
        logger: deps.logger,
        ...(deps.dispatcher === undefined ? {} : { dispatcher: deps.dispatcher }),
        ...(deps.signal === undefined ? {} : { signal: deps.signal }),
      });
      forwarded += 1;
      deps.logger.info('alarm forwarded to the Slack webhook', { subject: rendered.subject });
    } catch (error) {
      const reason = deps.redactor.redact(
        isAlertError(error)
          ? `${error.code}: ${error.message}`
          : 'SLACK_DELIVERY_FAILED: the Slack webhook POST failed.',
      );
      failed.push(reason);
      deps.logger.error('alarm not forwarded to the Slack webhook', { subject: rendered.subject, reason });
    }
  }
  return { forwarded, ignored, failed };
}
