/**
 * How `models` reads a configured id that is not a plain row of `/models` (openrouter-api-more.md
 * §7): routing variants are checked against their base id, static variants and aliases as written,
 * routers not at all.
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS, daysFromNow, MODEL, modelsBody, NOW, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();

describe('models: routing variants are checked against their base id', () => {
  it.each(['nitro', 'floor', 'exacto', 'online'])(
    '%s: listed when the base is, and named as routing',
    async (variant) => {
      const id = `${MODEL}:${variant}`;
      const check = await runCheck('models', {
        models: modelsBody([{ id: MODEL }]),
        config: { models: [id] },
      });
      expect(check).toMatchObject({
        status: 'pass',
        summary: `The configured model is listed (${id}) (${id} is ${MODEL} with :${variant} routing)`,
        values: { missing: [], modelsUnavailable: 0 },
      });
    },
  );

  it('a routing variant of an unlisted base is missing, named as configured', async () => {
    const id = `${MODEL}:nitro`;
    const check = await runCheck('models', {
      models: modelsBody([{ id: 'anthropic/claude-3.5-haiku' }]),
      config: { models: [id] },
    });
    expect(check).toMatchObject({
      status: 'fail',
      summary: `1 model unavailable (not listed: ${id})`,
      values: { missing: [id], modelsUnavailable: 1 },
    });
  });

  it("a routing variant retires with its base: the base row's expiration_date counts", async () => {
    const id = `${MODEL}:floor`;
    const left = 10;
    const date = new Date(NOW.getTime() + left * DAY_MS).toISOString().slice(0, 10);
    const check = await runCheck('models', {
      models: modelsBody([{ id: MODEL, expiration_date: daysFromNow(left) }]),
      config: { models: [id] },
    });
    expect(check.status, check.summary).toBe('warn');
    expect(check.values).toMatchObject({ retiring: [{ model: id, expirationDate: date, daysLeft: left }] });
    expect(check.summary).toMatch(new RegExp(`^Retiring soon: ${id} on ${date} \\(${left} days\\)`));
  });

  it('a static variant is a row of its own: the base row does not stand for it', async () => {
    const id = `${MODEL}:free`;
    const baseOnly = await runCheck('models', {
      models: modelsBody([{ id: MODEL }]),
      config: { models: [id] },
    });
    expect(baseOnly).toMatchObject({ status: 'fail', values: { missing: [id] } });
    const listed = await runCheck('models', {
      models: modelsBody([{ id: MODEL }, { id }]),
      config: { models: [id] },
    });
    expect(listed).toMatchObject({ status: 'pass', summary: `The configured model is listed (${id})` });
  });
});

describe('models: routers and aliases', () => {
  it.each(['openrouter/auto', 'openrouter/auto-beta', 'openrouter/free'])(
    '%s is a router: not looked for in /models, and said so',
    async (router) => {
      const check = await runCheck('models', {
        models: modelsBody([{ id: MODEL }]),
        config: { models: [MODEL, router] },
      });
      expect(check).toMatchObject({
        status: 'pass',
        summary: `All 2 configured models are listed (${MODEL}, ${router}) (${router} is a router that picks a model per request: not checked against /models)`,
        values: { missing: [], retiring: [], modelsUnavailable: 0 },
      });
    },
  );

  it('an alias is a row of its own, and the model it resolves to is named', async () => {
    const alias = '~openai/gpt-mini-latest';
    const check = await runCheck('models', {
      models: modelsBody([{ id: MODEL }, { id: alias, alias_target: { slug: MODEL } }]),
      config: { models: [alias] },
    });
    expect(check).toMatchObject({
      status: 'pass',
      summary: `The configured model is listed (${alias}) (${alias} currently resolves to ${MODEL})`,
    });
    const unlisted = await runCheck('models', {
      models: modelsBody([{ id: MODEL }]),
      config: { models: [alias] },
    });
    expect(unlisted).toMatchObject({ status: 'fail', values: { missing: [alias] } });
  });
});
