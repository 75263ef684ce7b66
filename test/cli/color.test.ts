import { describe, expect, it } from 'vitest';
import { shouldUseColor } from '../../cli/color';

describe('shouldUseColor', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: 'anything' }, false],
    [true, { NO_COLOR: '' }, true],
    [true, { TERM: 'dumb' }, false],
    [false, { FORCE_COLOR: '1' }, false],
  ])('on a TTY=%s with env %j → %s', (isTTY, env, expected) => {
    expect(shouldUseColor({ isTTY, env })).toBe(expected);
  });
});
