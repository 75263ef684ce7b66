import type { IncomingMessage, ServerResponse } from 'node:http';
import { USER_ID } from './account';
import { errorReply, jsonReply, type Reply, writeReply } from './reply';
import type { Fault } from './types';

/** Where a fault is played, and the route's normal answer for the faults that reshape it. */
export interface FaultTarget {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  normal(): Reply;
  /** The provider of the model a chat request names, for provider-style error bodies. */
  readonly providerName: string | null;
}

/** Messages OpenRouter uses (or would plausibly use) for a status when a fault gives no body. */
const STATUS_MESSAGES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'User not found.',
  402: 'Insufficient credits. Add more using https://openrouter.ai/credits',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Operation timed out. Please try again later.',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Rate limit exceeded',
  500: 'Internal Server Error',
  502: 'Provider returned error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  524: 'Provider returned error',
  529: 'Provider returned error',
};

const CLOUDFLARE_TITLES: Readonly<Record<number, string>> = {
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway time-out',
  520: 'Web server is returning an unknown error',
  521: 'Web server is down',
  522: 'Connection timed out',
  523: 'Origin is unreachable',
  524: 'A timeout occurred',
};

/** A Cloudflare-style error page, as an edge timeout (524) looks to a client expecting JSON. */
export function cloudflarePage(status: number): string {
  const title = CLOUDFLARE_TITLES[status] ?? 'Error';
  return [
    '<!DOCTYPE html>',
    '<html lang="en-US">',
    `<head><title>openrouter.ai | ${status}: ${title}</title><meta charset="UTF-8" /></head>`,
    '<body>',
    `<div id="cf-error-details"><h1><span class="cf-error-type">${title}</span> <span class="code-label">Error code ${status}</span></h1>`,
    '<p>The origin web server did not answer in time. Please try again in a few minutes.</p>',
    '<p>Cloudflare Ray ID: <strong>8f2c1d3e4a5b6c7d</strong> &bull; Performance &amp; security by Cloudflare</p></div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const MALFORMED_JSON = '{"data": {"id": "simulated", "note": "this body stops in the middle of a string';

const KEEP_ALIVE_PADDING = '\n\n\n\n\n\n\n';

const PADDING_CHUNK = Buffer.alloc(64 * 1024, 'x');

/** Resolves true once the response can take more data, false if the connection closed first. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => finish(true);
    const onClose = () => finish(false);
    const finish = (value: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(value);
    };
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/** `{"padding":"xxx…"}` of exactly `bytes` bytes (when that is enough for the frame), streamed in 64 KiB chunks. */
async function streamHugeBody(res: ServerResponse, bytes: number): Promise<void> {
  const head = '{"padding":"';
  const tail = '"}';
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write(head);
  let left = Math.max(0, bytes - head.length - tail.length);
  while (left > 0 && !res.destroyed) {
    const size = Math.min(left, PADDING_CHUNK.length);
    left -= size;
    const writable = res.write(
      size === PADDING_CHUNK.length ? PADDING_CHUNK : PADDING_CHUNK.subarray(0, size),
    );
    if (!writable && !(await drained(res))) return;
  }
  if (!res.destroyed) res.end(tail);
}

function statusReply(fault: Extract<Fault, { kind: 'status' }>): Reply {
  const { status, body, headers } = fault;
  if (body === undefined) {
    return errorReply(
      status,
      STATUS_MESSAGES[status] ?? `HTTP ${status}`,
      headers === undefined ? {} : { headers },
    );
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return jsonReply(status, text, headers);
}

/** Plays one fault on a request; resolves once it has written all it ever will. */
export async function playFault(fault: Fault, target: FaultTarget): Promise<void> {
  const { req, res } = target;
  switch (fault.kind) {
    case 'status':
      writeReply(res, statusReply(fault));
      return;
    case 'hang':
      // Nothing is ever written; close() (or the client) ends the connection.
      return;
    case 'stall-mid-body': {
      const { body } = target.normal();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(body.slice(0, Math.max(1, Math.floor(body.length / 2))));
      return;
    }
    case 'reset':
      // A TCP RST, so that the client sees ECONNRESET rather than a clean close.
      req.socket.resetAndDestroy();
      return;
    case 'html':
      writeReply(res, {
        status: fault.status,
        contentType: 'text/html; charset=UTF-8',
        headers: { server: 'cloudflare', 'cf-ray': '8f2c1d3e4a5b6c7d-FRA' },
        body: cloudflarePage(fault.status),
      });
      return;
    case 'malformed-json':
      writeReply(res, jsonReply(200, MALFORMED_JSON));
      return;
    case 'empty-body':
      writeReply(res, jsonReply(200, ''));
      return;
    case 'error-in-200': {
      const code = fault.code ?? 524;
      const error = errorReply(code, fault.message ?? 'Provider returned error', {
        metadata: { raw: `error code: ${code}`, provider_name: target.providerName },
        userId: USER_ID,
      });
      writeReply(res, { ...error, status: 200 });
      return;
    }
    case 'huge-body':
      await streamHugeBody(res, fault.bytes);
      return;
    case 'json':
      writeReply(res, jsonReply(fault.status ?? 200, JSON.stringify(fault.body) ?? 'null'));
      return;
    case 'leading-whitespace':
      writeReply(res, target.normal(), KEEP_ALIVE_PADDING);
      return;
    case 'echo-key': {
      const authorization = req.headers.authorization ?? '(no Authorization header)';
      writeReply(
        res,
        errorReply(fault.status, `Invalid credentials in header "Authorization: ${authorization}"`),
      );
      return;
    }
    default: {
      const unknown: never = fault;
      throw new TypeError(`unknown fault ${JSON.stringify(unknown)}`);
    }
  }
}
