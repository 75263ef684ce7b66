import { describe, expect, it } from 'vitest';
import { interleaved, median } from '../../bench/measure';

describe('median', () => {
  it.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 1000], 10],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('interleaved', () => {
  it('alternates the measurements after one untimed warm-up round and keeps only the timed samples', async () => {
    const order: string[] = [];
    let tick = 0;
    const samples = await interleaved(3, {
      a: async () => {
        order.push('a');
        return tick++;
      },
      b: async () => {
        order.push('b');
        return tick++;
      },
    });
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect(samples).toEqual({ a: [2, 4, 6], b: [3, 5, 7] });
  });
});
