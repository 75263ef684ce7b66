import { createHash } from 'node:crypto';
import { type Redactor, shapeRedactor } from '../engine/redact';
import { type AuditResult, type CheckId, type CheckStatus, isProblem } from '../engine/result';
import { oneLine } from '../render/text';
import type { AlertState, CheckAlertState } from './alert-state';
import { type AlertPlan, decideAlert, type PlannedCheck } from './decide-alert';

/** What the renderer needs besides the plan. */
export interface AlertRenderContext {
  /** Short environment name put in the subject, e.g. "prod"; empty for none. */
  readonly environmentName: string;
  /** Link to the CloudWatch dashboard; empty for none. */
  readonly dashboardUrl: string;
  /** When the audit ran (printed in ISO UTC). */
  readonly runAt: Date;
  /** Masks keys and registered secrets in every string. @default shapeRedactor */
  readonly redactor?: Redactor;
}

/**
 * An Amazon Q Developer in chat applications (AWS Chatbot) custom notification. Chatbot drops
 * messages off this schema silently, so `version`, `source` and `content.description` are always set.
 */
export interface ChatbotNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    /** Same id → same Slack thread: stable per environment and set of checks involved. */
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly additionalContext: { readonly [key: string]: string };
  };
}

export interface RenderedAlert {
  /** SNS Subject (the e-mail subject): ASCII, one line, at most {@link SUBJECT_MAX_LENGTH} characters. */
  readonly subject: string;
  /** Plain-text body for e-mail. */
  readonly text: string;
  /** The same content as a Chatbot custom notification (Slack through Amazon Q). */
  readonly chatbot: ChatbotNotification;
  /** The SNS `Message` for `MessageStructure: "json"`: `{default, email, https}`. */
  readonly snsMessage: string;
}

/** SNS wants a subject under 100 characters. */
export const SUBJECT_MAX_LENGTH = 99;
/** SNS's default maximum message size (bytes, attributes and subject included). */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
export const SUBJECT_PREFIX = '[OpenRouter audit]';
/** Leaves room for check ids in the subject. */
const ENV_IN_SUBJECT_MAX = 24;

const STATUS_LABEL: Readonly<Record<CheckStatus, string>> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  error: 'ERROR',
  skip: 'SKIP',
};

const STATUS_EMOJI: Readonly<Record<CheckStatus, string>> = {
  pass: ':white_check_mark:',
  warn: ':warning:',
  fail: ':red_circle:',
  error: ':exclamation:',
  skip: ':heavy_minus_sign:',
};

const KIND_EMOJI: Readonly<Record<AlertPlan['kind'], string>> = {
  started: ':satellite_antenna:',
  problem: ':rotating_light:',
  resolved: ':large_green_circle:',
  reminder: ':bell:',
};

/** Per-string caps; halved until the SNS message fits (it always does at the first try for 8 checks). */
interface Limits {
  readonly summary: number;
  readonly remedy: number;
  readonly body: number;
}
const FIRST_LIMITS: Limits = { summary: 500, remedy: 600, body: 60_000 };
const MIN_LIMITS: Limits = { summary: 60, remedy: 60, body: 4_000 };
/** Room kept for the SNS envelope, the subject and multi-byte surprises. */
const SIZE_MARGIN_BYTES = 4_096;

/** Cuts to `max` characters without splitting a surrogate pair, marking the cut with `…`. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** ASCII printable only, one line: what SNS subjects and thread ids can carry safely. */
function toAscii(text: string): string {
  return oneLine(text)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Slack mrkdwn treats `&`, `<` and `>` as control characters. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function slug(text: string): string {
  return toAscii(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function isoOrUnknown(date: Date): string {
  return Number.isNaN(date.getTime()) ? 'unknown time' : date.toISOString();
}

/** `3 d 4 h`, `5 h 10 min`, `12 min`: how long a check has been failing. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes % 60 > 0 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${minutes} min`;
}

const problems = (plan: AlertPlan): PlannedCheck[] =>
  plan.checks.filter((c) => isProblem(c.status) && c.muted !== true);
const withChange = (plan: AlertPlan, change: PlannedCheck['change']): PlannedCheck[] =>
  plan.checks.filter((c) => c.change === change);
const ids = (checks: readonly PlannedCheck[]): string[] => checks.map((c) => c.id);
const ofStatus = (checks: readonly PlannedCheck[], status: CheckStatus): string[] =>
  ids(checks.filter((c) => c.status === status));

interface SubjectGroup {
  readonly label: string;
  readonly ids: readonly string[];
}

/** The lead words and the groups of check ids the subject lists, most important first. */
function subjectParts(plan: AlertPlan): { lead: string; groups: SubjectGroup[]; empty: string } {
  const failing = problems(plan);
  const fresh = withChange(plan, 'new-problem');
  const resolved = withChange(plan, 'resolved');
  const still = failing.filter((c) => c.change !== 'new-problem');
  const warns = ofStatus(plan.checks, 'warn');
  const allProblems: SubjectGroup[] = [
    { label: 'FAIL', ids: ofStatus(failing, 'fail') },
    { label: 'ERROR', ids: ofStatus(failing, 'error') },
  ];
  const healthy = warns.length > 0 ? 'no failures' : 'all checks pass';
  if (plan.reason === 'resumed') {
    const lead = 'Monitoring resumed: ';
    if (failing.length > 0) return { lead, groups: allProblems, empty: '' };
    return { lead: `${lead}${healthy}`, groups: [{ label: ', WARN', ids: warns }], empty: '' };
  }
  if (plan.reason === 'redelivery') {
    const lead = 'Sent again: ';
    if (failing.length > 0) return { lead, groups: allProblems, empty: '' };
    return { lead: `${lead}${healthy}`, groups: [{ label: ', WARN', ids: warns }], empty: '' };
  }
  switch (plan.kind) {
    case 'started': {
      const lead = plan.reason === 'state-unreadable' ? 'State unreadable: ' : 'Monitoring started: ';
      if (failing.length > 0) return { lead, groups: allProblems, empty: '' };
      return { lead: `${lead}${healthy}`, groups: [{ label: ', WARN', ids: warns }], empty: '' };
    }
    case 'problem':
      if (plan.reason === 'state-unreadable') return { lead: '', groups: allProblems, empty: '' };
      return {
        lead: '',
        groups: [
          { label: 'FAIL', ids: ofStatus(fresh, 'fail') },
          { label: 'ERROR', ids: ofStatus(fresh, 'error') },
          { label: 'RESOLVED', ids: ids(resolved) },
          { label: 'still FAIL', ids: ofStatus(still, 'fail') },
          { label: 'still ERROR', ids: ofStatus(still, 'error') },
        ],
        empty: '',
      };
    case 'resolved':
      return {
        lead: '',
        groups: [
          { label: 'RESOLVED', ids: ids(resolved) },
          { label: 'still FAIL', ids: ofStatus(still, 'fail') },
          { label: 'still ERROR', ids: ofStatus(still, 'error') },
        ],
        empty: failing.length === 0 ? ': all clear' : '',
      };
    case 'reminder':
      return { lead: 'REMINDER ', groups: allProblems, empty: '' };
  }
}

/**
 * The e-mail subject: `[OpenRouter audit] FAIL credits, models (prod)`. ASCII, one line, at most
 * 99 characters; check ids that do not fit become `+N more`.
 */
export function renderSubject(
  plan: AlertPlan,
  environmentName: string,
  redactor: Redactor = shapeRedactor,
): string {
  const env = toAscii(redactor.redact(environmentName)).slice(0, ENV_IN_SUBJECT_MAX).trim();
  const suffix = env === '' ? '' : ` (${env})`;
  const { lead, groups, empty } = subjectParts(plan);
  const nonEmpty = groups.filter((g) => g.ids.length > 0);
  const total = nonEmpty.reduce((n, g) => n + g.ids.length, 0);

  const build = (shown: number): string => {
    let left = shown;
    const parts: string[] = [];
    for (const group of nonEmpty) {
      const take = group.ids.slice(0, Math.max(0, left));
      left -= take.length;
      if (take.length > 0) parts.push(`${group.label} ${take.join(', ')}`);
    }
    // A label starting with a comma continues the lead ("no failures, WARN spend").
    let body = lead;
    parts.forEach((part, i) => {
      body += part.startsWith(',') || i === 0 ? part : `; ${part}`;
    });
    if (shown >= total) body += empty;
    const more = total - shown;
    const tail = more > 0 ? ` +${more} more` : '';
    return `${SUBJECT_PREFIX} ${body.trim()}${tail}${suffix}`;
  };

  for (let shown = total; shown >= 0; shown -= 1) {
    const subject = build(shown);
    if (subject.length <= SUBJECT_MAX_LENGTH) return toAscii(subject);
  }
  return clip(toAscii(build(0)), SUBJECT_MAX_LENGTH).replace(/…$/, '');
}

/** The opening sentence: why this message, in words. */
function headline(plan: AlertPlan, runAt: Date): string {
  const failing = problems(plan);
  const fresh = withChange(plan, 'new-problem');
  const resolved = withChange(plan, 'resolved');
  const still = failing.filter((c) => c.change !== 'new-problem');
  const list = (checks: readonly PlannedCheck[]): string =>
    checks.map((c) => `${c.id} (${STATUS_LABEL[c.status]})`).join(', ');
  const state =
    failing.length === 0
      ? 'No check is failing.'
      : `${failing.length} check${failing.length === 1 ? '' : 's'} need${failing.length === 1 ? 's' : ''} attention: ${list(failing)}.`;

  switch (plan.reason) {
    case 'first-run':
      return `Monitoring started. This first message proves that alerts reach you. ${state}`;
    case 'deployment-changed':
      return `Monitoring restarted after a deployment (${clip(oneLine(plan.deploymentId), 64)}). ${state}`;
    case 'state-unreadable':
      return `The auditor could not read its alert state, so it sends this alert rather than stay silent; changes since the last run are unknown. ${state}`;
    case 'reminder-due': {
      const oldest = failing.reduce<number>(
        (min, c) => Math.min(min, Date.parse(c.since) || min),
        runAt.getTime(),
      );
      return `Reminder: ${list(failing)} still failing (the oldest for ${formatAge(runAt.getTime() - oldest)}).`;
    }
    case 'resumed': {
      const last = Date.parse(plan.lastRunAt ?? '');
      const gap = Number.isNaN(last) ? 'a while' : formatAge(runAt.getTime() - last);
      return `Monitoring resumed: no audit had completed since ${plan.lastRunAt ?? 'an unknown time'} (${gap}), so the heartbeat alarm has fired meanwhile; the auditor runs again. ${state}`;
    }
    case 'redelivery':
      return `Sent again: the ${plan.kind} alert of ${plan.undeliveredAt ?? 'the last alerting run'} did not reach this channel. The current state: ${state}`;
    case 'changed': {
      const parts: string[] = [];
      if (fresh.length > 0) parts.push(`New problem: ${list(fresh)}.`);
      if (resolved.length > 0) parts.push(`Resolved: ${list(resolved)}.`);
      if (still.length > 0) parts.push(`Still failing: ${list(still)}.`);
      if (failing.length === 0) parts.push('All clear: no check is failing.');
      return parts.join(' ');
    }
  }
}

interface Prepared {
  readonly id: string;
  readonly status: CheckStatus;
  readonly previous: CheckStatus | null;
  readonly change: PlannedCheck['change'];
  readonly since: string;
  readonly summary: string;
  readonly remedy: string | null;
}

function prepare(plan: AlertPlan, redactor: Redactor, limits: Limits): Prepared[] {
  // Redact before clipping, so a secret cut in half by the clip cannot escape the redactor.
  return plan.checks.map((c) => ({
    id: c.id,
    status: c.status,
    previous: c.previous,
    change: c.change,
    since: c.since,
    summary: clip(oneLine(redactor.redact(c.summary)) || '(no summary)', limits.summary),
    remedy: c.remedy === undefined ? null : clip(oneLine(redactor.redact(c.remedy)), limits.remedy) || null,
  }));
}

function changeNote(c: Prepared): string {
  if (c.change === 'resolved') return ' (resolved)';
  if (c.change === 'new-problem') return ' (new problem)';
  return '';
}

const changed = (checks: readonly Prepared[]): Prepared[] =>
  checks.filter((c) => c.previous !== null && c.previous !== c.status);

function renderText(
  plan: AlertPlan,
  checks: readonly Prepared[],
  env: string,
  dashboardUrl: string,
  runAt: Date,
  redactor: Redactor,
): string {
  const lines: string[] = [];
  const title = env === '' ? 'OpenRouter audit' : `OpenRouter audit (${env})`;
  lines.push(`${title}: ${redactor.redact(headline(plan, runAt))}`, '');

  const moved = changed(checks);
  if (moved.length > 0) {
    lines.push('What changed');
    for (const c of moved) {
      lines.push(
        `  ${c.id}: ${STATUS_LABEL[c.previous ?? c.status]} -> ${STATUS_LABEL[c.status]}${changeNote(c)}`,
      );
    }
    lines.push('');
  }

  const idWidth = Math.max(...checks.map((c) => c.id.length), 5);
  lines.push('Checks');
  for (const c of checks) {
    const since = isProblem(c.status) ? ` (since ${c.since})` : '';
    lines.push(`  ${STATUS_LABEL[c.status].padEnd(5)}  ${c.id.padEnd(idWidth)}  ${c.summary}${since}`);
  }
  lines.push('');

  const todo = checks.filter((c) => isProblem(c.status) && c.remedy !== null);
  if (todo.length > 0) {
    lines.push('What to do');
    for (const c of todo) lines.push(`  - ${c.id}: ${c.remedy}`);
    lines.push('');
  }
  const soon = checks.filter((c) => c.status === 'warn' && c.remedy !== null);
  if (soon.length > 0) {
    lines.push('Worth a look soon (warnings)');
    for (const c of soon) lines.push(`  - ${c.id}: ${c.remedy}`);
    lines.push('');
  }

  if (dashboardUrl !== '') lines.push(`Dashboard: ${dashboardUrl}`);
  lines.push(`Run at: ${isoOrUnknown(runAt)}`);
  if (env !== '') lines.push(`Environment: ${env}`);
  return `${lines.join('\n')}\n`;
}

function dashboardLink(url: string): string {
  try {
    const parsed = new URL(url);
    if ((parsed.protocol === 'https:' || parsed.protocol === 'http:') && !/[|<>\s]/.test(url)) {
      return `<${url}|Open the dashboard>`;
    }
  } catch {
    // Not a URL: shown as text below.
  }
  return `Dashboard: ${escapeMrkdwn(url)}`;
}

function threadId(plan: AlertPlan, env: string): string {
  const involved = plan.checks
    .filter((c) => isProblem(c.status) || c.change === 'resolved')
    .map((c) => c.id)
    .sort();
  const topic = plan.kind === 'started' || involved.length === 0 ? 'status' : involved.join('-');
  const id = `openrouter-audit-${slug(env) || 'default'}-${topic}`;
  if (id.length <= 100) return id;
  return `openrouter-audit-${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;
}

function renderChatbot(
  plan: AlertPlan,
  checks: readonly Prepared[],
  subject: string,
  env: string,
  dashboardUrl: string,
  runAt: Date,
  redactor: Redactor,
): ChatbotNotification {
  const lines: string[] = [escapeMrkdwn(redactor.redact(headline(plan, runAt)))];
  const moved = changed(checks);
  if (moved.length > 0) {
    lines.push('', '*What changed*');
    for (const c of moved) {
      lines.push(
        `• \`${c.id}\` ${STATUS_LABEL[c.previous ?? c.status]} → ${STATUS_LABEL[c.status]}${changeNote(c)}`,
      );
    }
  }
  lines.push('', '*Checks*');
  for (const c of checks) {
    lines.push(`${STATUS_EMOJI[c.status]} *${c.id}* ${STATUS_LABEL[c.status]}: ${escapeMrkdwn(c.summary)}`);
  }
  lines.push('');
  const footer = [`Run at ${isoOrUnknown(runAt)}`];
  if (dashboardUrl !== '') footer.unshift(dashboardLink(dashboardUrl));
  lines.push(footer.join(' · '));

  const nextSteps = checks
    .filter((c) => isProblem(c.status) && c.remedy !== null)
    .map((c) => `*${c.id}*: ${escapeMrkdwn(c.remedy ?? '')}`);
  const keywords = [
    'OpenRouter',
    ...(env === '' ? [] : [env]),
    plan.kind,
    ...problems(plan).map((c) => c.id),
    ...withChange(plan, 'resolved').map((c) => c.id),
  ].slice(0, 10);
  const summary = subject.slice(SUBJECT_PREFIX.length).trim();

  return {
    version: '1.0',
    source: 'custom',
    id: `${threadId(plan, env)}-${Number.isNaN(runAt.getTime()) ? 0 : runAt.getTime()}`,
    content: {
      textType: 'client-markdown',
      title: `${KIND_EMOJI[plan.kind]} OpenRouter audit: ${escapeMrkdwn(summary)}`,
      description: lines.join('\n'),
      nextSteps,
      keywords,
    },
    metadata: {
      threadId: threadId(plan, env),
      summary,
      eventType: `openrouter-audit.${plan.kind}`,
      additionalContext: {
        environment: env === '' ? 'default' : env,
        runAt: isoOrUnknown(runAt),
        deploymentId: clip(oneLine(redactor.redact(plan.deploymentId)), 64),
      },
    },
  };
}

function renderWith(plan: AlertPlan, context: AlertRenderContext, limits: Limits): RenderedAlert {
  const redactor = context.redactor ?? shapeRedactor;
  const env = clip(oneLine(redactor.redact(context.environmentName)), 64);
  const dashboardUrl = clip(oneLine(redactor.redact(context.dashboardUrl)), 2_000);
  const checks = prepare(plan, redactor, limits);

  const subject = renderSubject(plan, context.environmentName, redactor);
  const text = clip(
    redactor.redact(renderText(plan, checks, env, dashboardUrl, context.runAt, redactor)),
    limits.body,
  );
  const raw = renderChatbot(plan, checks, subject, env, dashboardUrl, context.runAt, redactor);
  const chatbot: ChatbotNotification = redactor.redactDeep({
    ...raw,
    content: { ...raw.content, description: clip(raw.content.description, limits.body) },
  });
  const chatbotJson = JSON.stringify(chatbot);
  // MessageStructure "json": `default` is required and is what protocols without their own key
  // get; Chatbot subscribes over `https`; e-mail subscribers get the plain text.
  const snsMessage = JSON.stringify({ default: chatbotJson, email: text, https: chatbotJson });
  return { subject, text, chatbot, snsMessage };
}

/**
 * Renders an alert for every channel. Pure. Every string is redacted with `context.redactor`
 * (defence in depth: checks never put keys in summaries), and the whole SNS message stays under
 * SNS's 256 KiB limit by clipping long summaries and bodies.
 */
export function renderAlert(plan: AlertPlan, context: AlertRenderContext): RenderedAlert {
  let limits = FIRST_LIMITS;
  for (;;) {
    const rendered = renderWith(plan, context, limits);
    const bytes =
      Buffer.byteLength(rendered.snsMessage, 'utf8') + Buffer.byteLength(rendered.subject, 'utf8');
    const atFloor = limits.summary <= MIN_LIMITS.summary && limits.body <= MIN_LIMITS.body;
    if (bytes + SIZE_MARGIN_BYTES <= SNS_MAX_MESSAGE_BYTES || atFloor) return rendered;
    limits = {
      summary: Math.max(MIN_LIMITS.summary, Math.floor(limits.summary / 2)),
      remedy: Math.max(MIN_LIMITS.remedy, Math.floor(limits.remedy / 2)),
      body: Math.max(MIN_LIMITS.body, Math.floor(limits.body / 2)),
    };
  }
}

/**
 * The subject and body this result would produce as an alert, for the CLI's `--preview-alert`:
 * a `problem` alert (as if every check had passed before) when something fails, otherwise the
 * first-run "monitoring started" message.
 */
export function previewAlert(
  result: AuditResult,
  context: AlertRenderContext,
): { subject: string; text: string } {
  const now = Number.isNaN(context.runAt.getTime()) ? new Date(result.startedAt) : context.runAt;
  const at = isoOrUnknown(now);
  const anyProblem = result.checks.some((c) => isProblem(c.status));
  // For a problem preview, pretend only the failing checks changed (from pass), so the body's
  // "What changed" lists exactly them and nothing invented.
  const checks: { [id in CheckId]?: CheckAlertState } = {};
  for (const c of result.checks) {
    checks[c.id] = { status: isProblem(c.status) ? 'pass' : c.status, since: at, lastAlertAt: null };
  }
  const previous: AlertState | null = anyProblem
    ? { version: 1, deploymentId: PREVIEW_DEPLOYMENT, updatedAt: at, checks }
    : null;
  const { alert } = decideAlert({
    previous,
    result,
    now,
    reminderHours: 24,
    deploymentId: PREVIEW_DEPLOYMENT,
  });
  if (alert === null) {
    // Unreachable: a first run and a new failure both alert. Kept total rather than asserted.
    return { subject: `${SUBJECT_PREFIX} no alert`, text: 'This result would not send an alert.\n' };
  }
  const { subject, text } = renderAlert(alert, { ...context, runAt: now });
  return { subject, text };
}

const PREVIEW_DEPLOYMENT = 'preview';
