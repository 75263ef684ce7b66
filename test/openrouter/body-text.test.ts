import { describe, expect, it } from 'vitest';
import {
  checkJsonShape,
  decodeBodyText,
  MAX_JSON_DEPTH,
  MAX_JSON_VALUES,
} from '../../lambda/openrouter/body-text';
import { parseModelsBody } from '../../lambda/openrouter/response-parsers';

describe('JSON shape caps, checked before parsing', () => {
  it('refuses nesting deeper than the cap, without parsing it', () => {
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`;
    expect(decodeBodyText(deep)).toMatchObject({
      kind: 'not-json',
      refused: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
    });
  });

  it('parses nesting at the cap', () => {
    const atCap = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(decodeBodyText(atCap).kind).toBe('json');
  });

  it('refuses 16 MB of nested arrays as a models answer with a reason, not a crash', () => {
    const half = 8 * 1024 * 1024;
    const body = `{"data":${'['.repeat(half - 10)}${']'.repeat(half - 10)}}`;
    expect(() => parseModelsBody(body)).toThrow(/refused unparsed: JSON nested deeper than 64 levels/);
  });

  it('refuses a document of more values than the cap (millions of tiny objects)', () => {
    const many = `[${'{},'.repeat(MAX_JSON_VALUES)}{}]`;
    expect(decodeBodyText(many)).toMatchObject({
      kind: 'not-json',
      refused: expect.stringContaining('values'),
    });
  });

  it('does not count brackets, commas or escaped quotes inside strings', () => {
    const text = JSON.stringify({ s: `${'[{,'.repeat(200)}\\"[[[[` });
    expect(checkJsonShape(text, { maxDepth: 2, maxValues: 10 })).toBeNull();
    expect(decodeBodyText(text).kind).toBe('json');
  });

  it('keeps at most 2,000 characters of a refused body', () => {
    const decoded = decodeBodyText(`${'['.repeat(100_000)}`);
    expect(decoded.kind === 'not-json' && decoded.text.length).toBe(2_000);
  });
});
