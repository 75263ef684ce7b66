import * as z from 'zod/mini';
import type { Redactor } from '../engine/redact';
import { oneLine } from '../render/text';
import type { ChatbotNotification, RenderedAlert } from './render-alert';
import { SUBJECT_MAX_LENGTH, SUBJECT_PREFIX } from './render-alert';

/**
 * A CloudWatch alarm state change, as CloudWatch publishes it to SNS (the message is JSON with
 * AlarmName, NewStateValue, OldStateValue, NewStateReason, StateChangeTime, ...). Only the fields
 * the notification shows are read; each is checked, and anything else makes the message "not an
 * alarm notification", never a guess.
 */
export interface AlarmNotification {
  readonly alarmName: string;
  readonly description: string;
  readonly newState: AlarmState;
  readonly oldState: AlarmState | null;
  readonly reason: string;
  /** ISO-8601 or CloudWatch's own `2026-11-30T01:00:00.000+0000`. */
  readonly changedAt: string;
  readonly region: string;
  readonly alarmArn: string;
}

export const ALARM_STATES = ['ALARM', 'OK', 'INSUFFICIENT_DATA'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

const text = (max: number) => z.string().check(z.maxLength(max));

const alarmMessageSchema = z.object({
  AlarmName: text(255).check(z.minLength(1)),
  AlarmDescription: z.optional(z.nullable(text(2048))),
  NewStateValue: z.enum(ALARM_STATES),
  OldStateValue: z.optional(z.nullable(z.enum(ALARM_STATES))),
  NewStateReason: z.optional(z.nullable(text(4096))),
  StateChangeTime: z.optional(z.nullable(text(64))),
  Region: z.optional(z.nullable(text(64))),
  AlarmArn: z.optional(z.nullable(text(2048))),
});

/** The alarm notification in an SNS message, or null when the message is not one (e.g. an audit alert). */
export function parseAlarmNotification(message: string): AlarmNotification | null {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return null;
  }
  const parsed = alarmMessageSchema.safeParse(json);
  if (!parsed.success) return null;
  const m = parsed.data;
  return {
    alarmName: m.AlarmName,
    description: m.AlarmDescription ?? '',
    newState: m.NewStateValue,
    oldState: m.OldStateValue ?? null,
    reason: m.NewStateReason ?? '',
    changedAt: m.StateChangeTime ?? '',
    region: m.Region ?? '',
    alarmArn: m.AlarmArn ?? '',
  };
}

export interface AlarmRenderContext {
  /** Short environment name for the subject, e.g. "prod"; may be empty. */
  readonly environmentName: string;
  /** The CloudWatch dashboard link; may be empty. */
  readonly dashboardUrl: string;
  readonly redactor: Redactor;
}

const STATE_EMOJI: Readonly<Record<AlarmState, string>> = {
  ALARM: ':rotating_light:',
  OK: ':large_green_circle:',
  INSUFFICIENT_DATA: ':grey_question:',
};

/** Our alarm descriptions end with "What to do: ..."; that part becomes the next steps. */
const WHAT_TO_DO = /\s*What to do:\s*/;

const escapeMrkdwn = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const ascii = (value: string): string =>
  oneLine(value)
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/\s+/g, ' ')
    .trim();

const clip = (value: string, max: number): string =>
  value.length <= max ? value : `${value.slice(0, Math.max(0, max - 1))}…`;

/**
 * The alarm as the audit's alerts look: the same subject prefix and the same Chatbot-shaped
 * content, so `buildSlackMessage` posts it to the webhook like any other alert. Every string is
 * redacted (an alarm description is user-editable).
 */
export function renderAlarmNotification(
  alarm: AlarmNotification,
  context: AlarmRenderContext,
): Pick<RenderedAlert, 'subject' | 'chatbot'> {
  const { redactor } = context;
  const env = ascii(redactor.redact(context.environmentName)).slice(0, 24);
  const suffix = env === '' ? '' : ` (${env})`;
  const name = ascii(redactor.redact(alarm.alarmName));
  const room = SUBJECT_MAX_LENGTH - SUBJECT_PREFIX.length - suffix.length - alarm.newState.length - 2;
  const subject = `${SUBJECT_PREFIX} ${alarm.newState} ${clip(name, Math.max(8, room))}${suffix}`;

  const [about = '', todo = ''] = redactor.redact(oneLine(alarm.description)).split(WHAT_TO_DO, 2);
  const from = alarm.oldState === null ? '' : ` (was ${alarm.oldState})`;
  const lines = [
    `Alarm *${escapeMrkdwn(name)}* is now *${alarm.newState}*${from}.`,
    ...(about.trim() === '' ? [] : [escapeMrkdwn(clip(about.trim(), 1500))]),
    ...(alarm.reason === ''
      ? []
      : [`_Reason:_ ${escapeMrkdwn(clip(redactor.redact(oneLine(alarm.reason)), 1000))}`]),
    [alarm.changedAt === '' ? '' : `Changed at ${escapeMrkdwn(alarm.changedAt)}`, alarm.region]
      .filter((part) => part !== '')
      .join(' · '),
  ].filter((line) => line !== '');
  if (context.dashboardUrl !== '' && /^https:\/\/[^|<>\s]+$/.test(context.dashboardUrl)) {
    lines.push(`<${context.dashboardUrl}|Open the dashboard>`);
  }
  const nextSteps =
    alarm.newState === 'ALARM' && todo.trim() !== '' ? [escapeMrkdwn(clip(todo.trim(), 1500))] : [];
  const summary = subject.slice(SUBJECT_PREFIX.length).trim();
  const threadId = `openrouter-audit-alarm-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 100);
  const chatbot: ChatbotNotification = {
    version: '1.0',
    source: 'custom',
    id: `${threadId}-${alarm.newState}-${ascii(alarm.changedAt)}`.slice(0, 200),
    content: {
      textType: 'client-markdown',
      title: `${STATE_EMOJI[alarm.newState]} OpenRouter audit: ${escapeMrkdwn(summary)}`,
      description: lines.join('\n'),
      nextSteps,
      keywords: ['OpenRouter', 'alarm', alarm.newState, ...(env === '' ? [] : [env])],
    },
    metadata: {
      threadId,
      summary,
      eventType: `openrouter-audit.alarm.${alarm.newState.toLowerCase()}`,
      additionalContext: {
        environment: env === '' ? 'default' : env,
        alarmName: name,
        changedAt: ascii(alarm.changedAt),
      },
    },
  };
  return { subject: ascii(subject).slice(0, SUBJECT_MAX_LENGTH), chatbot: redactor.redactDeep(chatbot) };
}
