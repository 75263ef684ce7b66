import { describe, expect, it } from 'vitest';
import { excerptOf, MAX_EXCERPT_CHARS, maskSecrets } from '../../cli/scan/mask';
import { fakeKey } from './fixture-tree';

const KEY = fakeKey();

describe('maskSecrets', () => {
  it.each([
    ['a real-shaped key', `k=${KEY}`, 'k=sk-or-v1-aba...bab'],
    ['an upper-case key', `k=${KEY.toUpperCase()}`, 'k=sk-or-v1-ABA...BAB'],
    ['a truncated key', `k=sk-or-v1-${'e'.repeat(20)}`, 'k=sk-or-v1-eee...eee'],
    ['two keys', `${KEY} ${fakeKey('cd')}`, 'sk-or-v1-aba...bab sk-or-v1-cdc...dcd'],
    ['a masked label, left as it is', 'sk-or-v1-abc...123', 'sk-or-v1-abc...123'],
    ['a short placeholder, left as it is', 'sk-or-v1-***', 'sk-or-v1-***'],
  ])('masks %s', (_, text, expected) => {
    expect(maskSecrets(text)).toBe(expected);
  });
});

describe('excerptOf', () => {
  it('trims line ends and masks keys in short lines', () => {
    expect(excerptOf(`  const k = "${KEY}";\r`)).toBe('const k = "sk-or-v1-aba...bab";');
  });

  it('cuts a long line around the finding', () => {
    const line = `${'a'.repeat(500)}http://x${'b'.repeat(500)}`;
    const excerpt = excerptOf(line, 501);
    expect(excerpt.startsWith('…')).toBe(true);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(excerpt).toContain('http://x');
    expect(excerpt.length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS + 2);
  });

  it.each([
    ['the end of the window', `${'x'.repeat(MAX_EXCERPT_CHARS - 20)}${KEY} ${'y'.repeat(300)}`, 1],
    ['the start of the window', `${'x'.repeat(300)}${KEY} ${'y'.repeat(300)}`, 300 + 60],
  ])('never leaves part of a key unmasked where the cut falls inside it at %s', (_, line, column) => {
    const excerpt = excerptOf(line, column);
    expect(excerpt).toContain('sk-or-v1-aba...bab');
    expect(excerpt).not.toContain('abab');
  });

  it('turns control characters into printable text', () => {
    expect(excerptOf('a\u001b[2Jb')).toBe('a\uFFFD[2Jb');
  });
});
