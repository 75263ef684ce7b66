/**
 * The Redactor itself, form by form: each string below is how a key or a webhook URL really comes
 * back in an error body, a log line or a clipped summary.
 */
import { describe, expect, it } from 'vitest';
import { maskKey, Redactor } from '../../lambda/engine/redact';
import { canaryWebhook, freshCanaryKey } from '../support/canary';

const PREFIX = 'sk-or-v1-';
const bodyOf = (key: string) => key.slice(PREFIX.length);

/** Every run of `length` characters of `secret`, to prove no piece of it survived. */
function runsOf(secret: string, length: number): string[] {
  return Array.from({ length: secret.length - length + 1 }, (_, i) => secret.slice(i, i + length));
}

function expectNoPiece(out: string, secret: string, length = 7): void {
  for (const run of runsOf(secret, length)) expect(out, `leaked "${run}"`).not.toContain(run);
}

describe('registered secrets', () => {
  it('masks every copy in one string, not only the first', () => {
    const key = freshCanaryKey();
    const out = new Redactor().add(key).redact(`first ${key}, second ${key}; third:${key}`);
    expect(out).toBe('first [REDACTED], second [REDACTED]; third:[REDACTED]');
  });

  it('masks every copy of a webhook URL (which has no key shape to fall back on)', () => {
    const { url, token } = canaryWebhook();
    const out = new Redactor().add(url).redact(`POST ${url} failed; retried ${url}`);
    expect(out).toBe('POST [REDACTED] failed; retried [REDACTED]');
    expect(out).not.toContain(token);
  });

  it('masks several secrets, each wherever it appears', () => {
    const a = freshCanaryKey();
    const b = freshCanaryKey();
    const { url } = canaryWebhook();
    const redactor = new Redactor().add(a).add(b).add(url);
    const out = redactor.redact(`${b} ${a} ${url} ${a}${b}`);
    expect(out).toBe('[REDACTED] [REDACTED] [REDACTED] [REDACTED][REDACTED]');
  });

  it('registers a secret trimmed, and ignores values too short to be one', () => {
    const key = freshCanaryKey();
    const redactor = new Redactor().add(`  ${key}\n`).add('short').add('').add(undefined).add(null);
    expect(redactor.redact(`x ${key} y short`)).toBe('x [REDACTED] y short');
  });

  it('takes an 8-character secret, and a 7-character one not', () => {
    expect(new Redactor().add('12345678').redact('a12345678b')).toBe('a[REDACTED]b');
    expect(new Redactor().add('1234567').redact('a1234567b')).toBe('a1234567b');
  });
});

describe('key-shaped text the redactor was never told about', () => {
  it("masks a whole key to OpenRouter's own label form", () => {
    const key = freshCanaryKey();
    const out = new Redactor().redact(`Bearer ${key}.`);
    expect(out).toBe(`Bearer ${maskKey(key)}.`);
    expect(out).toBe(`Bearer ${PREFIX}${bodyOf(key).slice(0, 3)}...${bodyOf(key).slice(-3)}.`);
  });

  it('masks every copy of an unregistered key', () => {
    const key = freshCanaryKey();
    const out = new Redactor().redact(`${key} and ${key}`);
    expect(out).toBe(`${maskKey(key)} and ${maskKey(key)}`);
  });

  it('masks an upper-cased key', () => {
    const key = freshCanaryKey().toUpperCase();
    const out = new Redactor().redact(`auth ${key}`);
    expectNoPiece(out, bodyOf(key));
  });

  it.each(Array.from({ length: 9 }, (_, i) => 7 + i))(
    'masks a key truncated to sk-or-v1- plus %i characters, showing nothing of it',
    (length) => {
      const key = freshCanaryKey();
      const cut = key.slice(0, PREFIX.length + length);
      for (const text of [`key ${cut}… (truncated)`, `"${cut}"`, `${cut}`, `x=${cut}&y=1`]) {
        const out = new Redactor().redact(text);
        expect(out).toBe(text.replace(cut, `${PREFIX}***`));
      }
    },
  );

  it.each([16, 40, 63, 65, 80])('masks a key-shaped run of %i characters', (length) => {
    const body = `${bodyOf(freshCanaryKey())}${bodyOf(freshCanaryKey())}`.slice(0, length);
    const out = new Redactor().redact(`k=${PREFIX}${body};`);
    expectNoPiece(out, body);
  });

  it('leaves masked labels and the bare prefix readable', () => {
    const text = 'sk-or-v1-726...f5c, sk-or-v1-***, the sk-or-v1- prefix, sk-or-v1-abc';
    expect(new Redactor().redact(text)).toBe(text);
  });
});

describe('redactDeep', () => {
  it('masks strings at every depth, in arrays, objects and errors, and keeps other values', () => {
    const key = freshCanaryKey();
    const when = new Date(0);
    const error = new Error(`failed with ${key}`);
    const out = new Redactor().add(key).redactDeep({
      a: key,
      b: [1, `x ${key}`, { c: [key] }],
      n: 3,
      t: true,
      z: null,
      u: undefined,
      when,
      error,
    });
    expect(out).toMatchObject({
      a: '[REDACTED]',
      b: [1, 'x [REDACTED]', { c: ['[REDACTED]'] }],
      n: 3,
      t: true,
      z: null,
    });
    expect(out.u).toBeUndefined();
    expect(out.when).toBe(when);
    expect(typeof out.error).toBe('string');
    expect(String(out.error)).toMatch(/^Error: failed with \[REDACTED\]/);
    expect(JSON.stringify(out)).not.toContain(bodyOf(key).slice(0, 8));
  });

  it('uses the message of an error without a stack', () => {
    const key = freshCanaryKey();
    const error = new Error(`failed with ${key}`);
    error.stack = undefined;
    expect(new Redactor().add(key).redactDeep(error)).toBe('failed with [REDACTED]');
  });
});

describe('maskKey', () => {
  it("shows OpenRouter's 3 + 3 characters of a key, and nothing of a short one", () => {
    const key = freshCanaryKey();
    expect(maskKey(key)).toBe(`${PREFIX}${bodyOf(key).slice(0, 3)}...${bodyOf(key).slice(-3)}`);
    expect(maskKey('sk-or-v1-1234567')).toBe('sk-or-v1-***');
    expect(maskKey('sk-or-v1-12345678')).toBe('sk-or-v1-123...678');
    expect(maskKey('abcdefghij')).toBe('sk-or-v1-abc...hij');
  });
});

/**
 * The disguises a registered secret comes back in, each through the Redactor itself (the secrecy
 * suite covers them end to end, too slow for the mutation runs): the mask covers exactly the
 * disguised secret, and the text around it is left as it was.
 */
describe('a registered key in disguise', () => {
  const key = freshCanaryKey();
  const body = bodyOf(key);
  const redact = (text: string) => new Redactor().add(key).redact(text);
  const zeroWidth = '\u200b';

  it.each([
    ['percent-encoded once', encodeURIComponent(key).replace(/-/g, '%2D')],
    ['percent-encoded twice', encodeURIComponent(encodeURIComponent(key).replace(/-/g, '%2D'))],
    ['in upper case', key.toUpperCase()],
    ['split by a zero-width space every 8 characters', key.replace(/(.{8})/g, `$1${zeroWidth}`)],
    ['split by spaces and a line break', `${key.slice(0, 30)} ${key.slice(30, 50)}\n${key.slice(50)}`],
    ['as its secret part alone', body],
  ])('%s', (_form, disguised) => {
    const out = redact(`before ${disguised} after`);
    expect(out).toBe('before [REDACTED] after');
  });

  it('masks a cut key down to 12 characters of its body, and no shorter piece', () => {
    expect(redact(`cut: ${body.slice(20, 32)} end`)).toBe('cut: [REDACTED] end');
    // 11 characters are OpenRouter-label-sized noise, not a secret: they stay.
    expect(redact(`cut: ${body.slice(20, 31)} end`)).toBe(`cut: ${body.slice(20, 31)} end`);
  });

  it('decodes only real escapes: a lone % and "%zz" are kept as they are', () => {
    expect(redact('uptime 99.5% and %zz, no secret')).toBe('uptime 99.5% and %zz, no secret');
    expect(redact(`99.5% ${encodeURIComponent(key)} 100%`)).toBe('99.5% [REDACTED] 100%');
  });

  it('masks a percent-encoded webhook path, keeping the host', () => {
    const { url, token } = canaryWebhook();
    const encodedPath = new URL(url).pathname.replace(/\//g, '%2F');
    const out = new Redactor().add(url).redact(`host=hooks.slack.com path=${encodedPath}`);
    expect(out).not.toContain(token);
    expect(out).toContain('host=hooks.slack.com');
    expectNoPiece(out, token, 12);
  });
});
