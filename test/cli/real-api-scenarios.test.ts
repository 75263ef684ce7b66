/**
 * The audit against the API as documented (issue 9), through the CLI contract with `--format json`:
 * keys in a second workspace, the audited key outside the default workspace, a provider's 16-token
 * floor, a routing variant, the in-flight 402, a guardrail budget on a key without a limit, and
 * broken data. Each ends in the honest status; the simulator runs over real HTTP on 127.0.0.1.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../lambda/render/json';
import type { ScenarioName } from '../../simulator/types';
import { runCliCaptured } from './harness';

const checkOf = (stdout: string, id: string) => {
  const report = JSON.parse(stdout) as JsonReport;
  const check = report.checks.find((c) => c.id === id);
  if (check === undefined) throw new Error(`no ${id} check in the report`);
  return check;
};

async function audit(scenario: ScenarioName, config?: unknown) {
  if (config === undefined) return runCliCaptured(['--simulate', scenario, '--format', 'json']);
  const dir = await mkdtemp(join(tmpdir(), 'openrouter-audit-real-api-'));
  try {
    await writeFile(join(dir, 'audit.json'), JSON.stringify(config));
    return await runCliCaptured(['--simulate', scenario, '--format', 'json', '--config', 'audit.json'], {
      cwd: dir,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the audit is right against the documented API (CLI, --format json)', () => {
  it('keys in a second workspace: keys fails on the old unlimited key there, counting 2 workspaces', async () => {
    const { code, stdout } = await audit('second-workspace-keys');
    const keys = checkOf(stdout, 'keys');
    expect(keys.status).toBe('fail');
    expect(keys.summary).toMatch(/of 6 keys in 2 workspaces/);
    expect(keys.summary).toMatch(/notebook-experiments in Research: no-limit, too-old/);
    expect(keys.values).toMatchObject({ workspaces: 2, keysWithoutLimit: 1, keysPastMaxAge: 1 });
    expect(code).toBe(1);
  });

  it('the audited key outside the default workspace: key-age finds it in its own workspace', async () => {
    const { code, stdout } = await audit('key-in-second-workspace');
    const keyAge = checkOf(stdout, 'key-age');
    expect(keyAge.status).toBe('pass');
    expect(keyAge.values).toMatchObject({ keyAgeDays: 30, createdAtSource: 'the account key list' });
    expect(checkOf(stdout, 'keys').summary).toMatch(/5 keys in 2 workspaces/);
    expect(code).toBe(0);
  });

  it('no workspaces API (404): keys lists the default workspace and says so', async () => {
    const { stdout } = await audit('no-workspaces-api');
    const keys = checkOf(stdout, 'keys');
    expect(keys.status).toBe('pass');
    expect(keys.summary).toMatch(/default workspace only: GET \/workspaces answered HTTP 404/);
    expect(keys.values).toMatchObject({ defaultWorkspaceOnly: 'GET /workspaces answered HTTP 404' });
  });

  it("a provider's 16-token floor: the default probe (16) passes", async () => {
    const { code, stdout } = await audit('provider-minimum-tokens');
    const probe = checkOf(stdout, 'test-request');
    expect(probe.status).toBe('pass');
    expect(probe.summary).not.toMatch(/note/);
    expect(code).toBe(0);
  });

  it("a provider's 16-token floor with probeMaxTokens 1: one retry at 16, a pass with a note", async () => {
    const { stdout } = await audit('provider-minimum-tokens', { probeMaxTokens: 1 });
    const probe = checkOf(stdout, 'test-request');
    expect(probe.status).toBe('pass');
    expect(probe.summary).toMatch(/the provider requires max_tokens >= 16; probed again with 16/);
    expect(probe.values).toMatchObject({
      probes: [expect.objectContaining({ ok: true, note: expect.stringMatching(/>= 16/) })],
    });
  });

  it('a routing variant: openai/gpt-4o-mini:nitro is checked against its base id and answers', async () => {
    const { code, stdout } = await audit('healthy', { models: ['openai/gpt-4o-mini:nitro'] });
    const models = checkOf(stdout, 'models');
    expect(models.status).toBe('pass');
    expect(models.summary).toMatch(/openai\/gpt-4o-mini:nitro is openai\/gpt-4o-mini with :nitro routing/);
    expect(checkOf(stdout, 'test-request').status).toBe('pass');
    expect(code).toBe(0);
  });

  it('an alias and the auto router are accepted as documented', async () => {
    const { stdout } = await audit('healthy', { models: ['~openai/gpt-mini-latest', 'openrouter/auto'] });
    const models = checkOf(stdout, 'models');
    expect(models.status).toBe('pass');
    expect(models.summary).toMatch(/~openai\/gpt-mini-latest currently resolves to openai\/gpt-4o-mini/);
    expect(models.summary).toMatch(/openrouter\/auto is a router/);
  });

  it('a 402 for in-flight spend (Retry-After) is retried within the deadline, not reported as "add credits"', async () => {
    const { code, stdout } = await audit('in-flight-402');
    const probe = checkOf(stdout, 'test-request');
    expect(probe.status).toBe('pass');
    expect(code).toBe(0);
  });

  // Both readings of an UNCERTAIN fact: /key without budgets (derived from /guardrails), and with them.
  it.each(['guardrail-budget', 'guardrail-budget-reported'] as const)(
    'a guardrail budget on a key without its own limit (%s): key-limit names it',
    async (scenario) => {
      const { code, stdout } = await audit(scenario);
      const keyLimit = checkOf(stdout, 'key-limit');
      expect(keyLimit.status).toBe('pass');
      expect(keyLimit.summary).toMatch(
        /no limit of its own but is capped by the guardrail budget \(on the key\) of \$50\.00 per month, \$30\.00 left/,
      );
      expect(keyLimit.values).toMatchObject({
        limitUsd: null,
        effectiveCapUsd: 50,
        effectiveCapRemainingUsd: 30,
      });
      expect(checkOf(stdout, 'keys').status).toBe('pass');
      expect(code).toBe(0);
    },
  );

  it('a spent guardrail budget fails key-limit and names the cause of the 403', async () => {
    const { stdout } = await audit('guardrail-budget-spent');
    expect(checkOf(stdout, 'key-limit')).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(/guardrail budget.*used up/),
    });
    const probe = checkOf(stdout, 'test-request');
    expect(probe.summary).toMatch(/HTTP 403 on \/chat\/completions \(guardrail budget\)/);
    expect(probe.remedy).toMatch(/guardrail's budget/);
  });

  it.each([
    ['garbage-key-figures', 'GET /key: limit is "lots", expected a number or null'],
    ['absurd-key-figures', 'GET /key: limit is 1e+308, expected an amount under $1e9'],
  ] as const)(
    '%s: key-limit and credits are errors naming endpoint and field, never a pass',
    async (scenario, says) => {
      const { code, stdout } = await audit(scenario);
      for (const id of ['key-limit', 'credits']) {
        const check = checkOf(stdout, id);
        expect(check.status, id).toBe('error');
        expect(check.summary, id).toContain(says);
      }
      expect(code).toBe(1);
    },
  );

  it.each([
    ['future-created-key', /created_at of key .* expected a date in the past/],
    ['duplicated-key-pages', /hash .* is listed twice/],
  ] as const)('%s: keys is an error, never a pass', async (scenario, says) => {
    const { code, stdout } = await audit(scenario);
    const keys = checkOf(stdout, 'keys');
    expect(keys.status).toBe('error');
    expect(keys.summary).toMatch(says);
    expect(code).toBe(1);
  });
});
