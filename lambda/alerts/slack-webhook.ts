import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { untilAborted } from '../aws/until-aborted';
import type { Logger } from '../engine/logger';
import type { Redactor } from '../engine/redact';
import { isLoopbackHost } from '../http/loopback';
import { parseRetryAfter } from '../http/retry-after';
import { request } from '../http/undici';
import { AlertError } from './errors';
import type { RenderedAlert } from './render-alert';

/** A Slack Block Kit block, as far as this module builds them. */
export type SlackBlock =
  | {
      readonly type: 'header';
      readonly text: { readonly type: 'plain_text'; readonly text: string; readonly emoji: true };
    }
  | { readonly type: 'section'; readonly text: { readonly type: 'mrkdwn'; readonly text: string } }
  | {
      readonly type: 'context';
      readonly elements: readonly { readonly type: 'mrkdwn'; readonly text: string }[];
    };

/** The incoming-webhook payload: `text` is the notification fallback, `blocks` the message. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

export interface SlackWebhookOptions {
  /** The incoming-webhook URL. A secret: registered with `redactor`, never logged or put in an error. */
  readonly url: string;
  readonly redactor: Redactor;
  /** undici dispatcher (tests, keep-alive agent); the global one when absent. */
  readonly dispatcher?: Dispatcher;
  /** Cancels the delivery (e.g. the Lambda is about to time out). */
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** Requests in all, first included. @default 3 */
  readonly maxAttempts?: number;
  /** Budget for all attempts and waits together. @default 10000 */
  readonly timeoutMs?: number;
  /** First backoff; doubles per retry. @default 500 */
  readonly baseDelayMs?: number;
  /** Longest single wait, `Retry-After` included. @default 5000 */
  readonly maxDelayMs?: number;
}

// Slack Block Kit limits: header text 150 characters, section text 3000, 50 blocks per message.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const MAX_BLOCKS = 50;
const RESPONSE_READ_MAX = 4096;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Splits at line breaks into pieces of at most `max` characters (a longer line is clipped). */
function chunkLines(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const piece = clip(line, max);
    if (current === '') current = piece;
    else if (current.length + 1 + piece.length <= max) current += `\n${piece}`;
    else {
      chunks.push(current);
      current = piece;
    }
  }
  if (current.trim() !== '') chunks.push(current);
  return chunks;
}

/** The Slack message with the same content as the Chatbot notification. */
export function buildSlackMessage(alert: Pick<RenderedAlert, 'subject' | 'chatbot'>): SlackMessage {
  const { content, metadata } = alert.chatbot;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(alert.subject, HEADER_MAX), emoji: true } },
  ];
  for (const chunk of chunkLines(content.description, SECTION_MAX)) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  }
  if (content.nextSteps.length > 0) {
    const steps = `*What to do*\n${content.nextSteps.map((s) => `• ${s}`).join('\n')}`;
    for (const chunk of chunkLines(steps, SECTION_MAX)) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
    }
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: clip(metadata.eventType, SECTION_MAX) }],
  });
  return { text: alert.subject, blocks: blocks.slice(0, MAX_BLOCKS) };
}

function checkUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new AlertError('SLACK_WEBHOOK_INVALID', 'The Slack webhook URL is not a URL.', { cause });
  }
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)))
    return parsed;
  throw new AlertError('SLACK_WEBHOOK_INVALID', 'The Slack webhook URL must use https.');
}

async function readShort(body: AsyncIterable<Buffer | string>): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.length >= RESPONSE_READ_MAX) break;
  }
  return text.slice(0, RESPONSE_READ_MAX);
}

/**
 * Slack answers errors with a short token (`no_service`, `invalid_payload`); anything else is
 * dropped, and so is a token that is part of the webhook URL (an endpoint echoing its path).
 */
function slackErrorToken(body: string, url: string): string | null {
  const token = body.trim();
  if (!/^[a-z0-9_]{1,40}$/.test(token)) return null;
  return url.toLowerCase().includes(token) ? null : token;
}

/** A safe label for a network error: its code (`ECONNREFUSED`, `UND_ERR_SOCKET`) or its class name. */
function networkLabel(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    if ('code' in error && typeof error.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(error.code))
      return error.code;
    if ('name' in error && typeof error.name === 'string' && /^[A-Za-z]{1,40}$/.test(error.name))
      return error.name;
  }
  return 'unknown';
}

const plural = (n: number): string => (n === 1 ? '1 attempt' : `${n} attempts`);

/**
 * POSTs a message to a Slack incoming webhook, retrying 429, 5xx and network errors with capped
 * exponential backoff that honours `Retry-After`, all within `timeoutMs` (and `signal`).
 *
 * A small loop rather than undici's RetryHandler: that handler's wait is not cancelled by the
 * abort signal, and a wait that would outlast the remaining budget must not start at all.
 * @returns how many requests were sent.
 * @throws AlertError `SLACK_DELIVERY_FAILED` or `SLACK_WEBHOOK_INVALID`; the URL never appears.
 */
export async function postSlackWebhook(
  message: SlackMessage,
  options: SlackWebhookOptions,
): Promise<{ attempts: number }> {
  const { redactor, logger } = options;
  redactor.add(options.url);
  const url = checkUrl(options.url);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const started = performance.now();
  const budget = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? budget : AbortSignal.any([options.signal, budget]);
  const body = JSON.stringify(message);

  const fail = (reason: string, attempts: number, status: number | undefined, cause?: unknown): AlertError =>
    new AlertError(
      'SLACK_DELIVERY_FAILED',
      redactor.redact(`Slack webhook POST failed: ${reason} after ${plural(attempts)}.`),
      {
        attempts,
        ...(status === undefined ? {} : { status }),
        ...(cause === undefined ? {} : { cause }),
      },
    );

  for (let attempt = 1; ; attempt += 1) {
    let reason: string;
    let status: number | undefined;
    let waitMs: number | null = null;
    let cause: unknown;
    try {
      // undici notices an abort only once the socket is connected: a host that accepts TCP and
      // never completes TLS would hold the request until the connect timeout. The race ends the
      // wait at the deadline; the pending connect is dropped with the dispatcher's own timeout.
      const res = await untilAborted(
        request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body,
          signal,
          ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
        }),
        signal,
      );
      const text = await readShort(res.body);
      if (res.statusCode >= 200 && res.statusCode < 300) return { attempts: attempt };
      status = res.statusCode;
      const token = slackErrorToken(text, options.url);
      reason = `HTTP ${res.statusCode}${token === null ? '' : ` (${token})`}`;
      if (res.statusCode !== 429 && res.statusCode < 500) throw fail(reason, attempt, status);
      const retryAfter = res.headers['retry-after'];
      waitMs = parseRetryAfter(
        (Array.isArray(retryAfter) ? retryAfter[0] : retryAfter)?.trim() ?? null,
        Date.now(),
      );
    } catch (error) {
      if (error instanceof AlertError) throw error;
      if (signal.aborted) {
        const why = options.signal?.aborted ? 'cancelled' : `no answer within ${timeoutMs} ms`;
        throw fail(why, attempt, undefined, error);
      }
      reason = `network error (${networkLabel(error)})`;
      cause = error;
    }

    if (attempt >= maxAttempts) throw fail(reason, attempt, status, cause);
    const delay = Math.min(waitMs ?? baseDelayMs * 2 ** (attempt - 1), maxDelayMs);
    const remaining = timeoutMs - (performance.now() - started);
    if (delay >= remaining) throw fail(`${reason}; no time left to retry`, attempt, status, cause);
    logger?.warn('slack webhook attempt failed, retrying', { attempt, reason, delayMs: Math.round(delay) });
    try {
      await sleep(delay, undefined, { signal });
    } catch (abort) {
      throw fail(options.signal?.aborted ? 'cancelled' : `${reason}; out of time`, attempt, status, abort);
    }
  }
}
