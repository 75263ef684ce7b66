import type { IncomingMessage } from 'node:http';
import type { ParsedBody } from './context';

/** Request bodies larger than this are refused with 413: no real chat request comes near it. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** Reads the whole body; undefined when it exceeds MAX_REQUEST_BYTES (the rest is discarded). */
export async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    if (tooLarge || !Buffer.isBuffer(chunk)) continue;
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) {
      tooLarge = true;
      chunks.length = 0;
    } else {
      chunks.push(chunk);
    }
  }
  return tooLarge ? undefined : Buffer.concat(chunks).toString('utf8');
}

export function parseBody(text: string): ParsedBody {
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch {
    return { kind: 'invalid' };
  }
}
