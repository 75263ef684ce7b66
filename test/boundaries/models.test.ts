import { describe, expect, it } from 'vitest';
import { DAY_MS, daysFromNow, MODEL, modelsBody, NOW, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();
const HALF = 0.5;
const OTHER = 'anthropic/claude-3.5-haiku';

const retiringIn = (days: number) => modelsBody([{ id: MODEL, expiration_date: daysFromNow(days) }]);

describe('models: the retirement window (modelExpiryWarnDays 30)', () => {
  it.each([
    { left: -HALF, expected: 'fail' },
    { left: 0, expected: 'fail' },
    { left: HALF, expected: 'warn' },
    { left: 30 - HALF, expected: 'warn' },
    { left: 30, expected: 'warn' },
    { left: 30 + HALF, expected: 'pass' },
  ])('retired in $left days → $expected', async ({ left, expected }) => {
    const check = await runCheck('models', { models: retiringIn(left) });
    expect(check.status, check.summary).toBe(expected);
    const date = new Date(NOW.getTime() + left * DAY_MS);
    expect(check.values).toMatchObject({
      missing: [],
      retiring: [{ model: MODEL, expirationDate: date.toISOString().slice(0, 10), daysLeft: left }],
      modelsUnavailable: expected === 'fail' ? 1 : 0,
      modelsListed: 1,
    });
    const text = {
      fail: `1 model unavailable (${MODEL} retired on ${date.toISOString().slice(0, 10)})`,
      warn: `Retiring soon: ${MODEL} on ${date.toISOString().slice(0, 10)} (${Math.ceil(left)} days)`,
      pass: `The configured model is listed (${MODEL})`,
    }[expected];
    expect(check.summary).toBe(text);
  });

  it.each([
    { window: 10, left: 10, expected: 'warn' },
    { window: 10, left: 10 + HALF, expected: 'pass' },
    { window: 0, left: HALF, expected: 'pass' },
  ])('a $window-day window with $left days left → $expected', async ({ window, left, expected }) => {
    const check = await runCheck('models', {
      models: retiringIn(left),
      config: { modelExpiryWarnDays: window },
    });
    expect(check.status, check.summary).toBe(expected);
  });

  it('a plain date retires at midnight UTC: 29.5 days from Wednesday noon', async () => {
    const check = await runCheck('models', {
      models: modelsBody([{ id: MODEL, expiration_date: '2026-12-25' }]),
    });
    expect((Date.UTC(2026, 11, 25) - NOW.getTime()) / DAY_MS).toBe(29.5);
    expect(check).toMatchObject({ status: 'warn', values: { retiring: [{ daysLeft: 29.5 }] } });
  });
});

describe('models: listed or not', () => {
  it('a configured model not listed fails; others listed do not matter', async () => {
    const check = await runCheck('models', {
      models: modelsBody([{ id: OTHER }]),
      config: { models: [MODEL] },
    });
    expect(check).toMatchObject({
      status: 'fail',
      summary: `1 model unavailable (not listed: ${MODEL})`,
      values: { missing: [MODEL], modelsUnavailable: 1, modelsListed: 1 },
    });
  });

  it('counts a missing and a retired model together', async () => {
    const check = await runCheck('models', {
      models: modelsBody([{ id: OTHER, expiration_date: daysFromNow(-1) }]),
      config: { models: [MODEL, OTHER] },
    });
    expect(check.status).toBe('fail');
    expect(check.summary).toMatch(/^2 models unavailable \(not listed: openai\/gpt-4o-mini; anthropic/);
    expect(check.values).toMatchObject({ modelsUnavailable: 2 });
  });

  it('names every model when all are listed, and ignores retirements of unconfigured ones', async () => {
    const check = await runCheck('models', {
      models: modelsBody([{ id: MODEL }, { id: OTHER }, { id: 'x/y', expiration_date: daysFromNow(-1) }]),
      config: { models: [MODEL, OTHER] },
    });
    expect(check).toMatchObject({
      status: 'pass',
      summary: `All 2 configured models are listed (${MODEL}, ${OTHER})`,
      values: { retiring: [], modelsListed: 3 },
    });
  });
});
