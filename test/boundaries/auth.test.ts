import { describe, expect, it } from 'vitest';
import { keyBody, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();

describe('auth: which answers mean a rejected key', () => {
  it.each([
    { status: 401, expected: 'fail' },
    { status: 403, expected: 'fail' },
    { status: 400, expected: 'error' },
    { status: 404, expected: 'error' },
  ])('GET /key answering HTTP $status → $expected', async ({ status, expected }) => {
    runCheck.sim.current.clearFaults();
    runCheck.sim.current.injectFault('key', { kind: 'status', status, key: 'api' });
    const { auditSimulator, checkOf } = await import('../support/audit-harness');
    const check = checkOf(await auditSimulator(runCheck.sim.current, { config: { probe: false } }), 'auth');
    expect(check.status, check.summary).toBe(expected);
    if (expected === 'fail') {
      expect(check.summary).toMatch(
        new RegExp(`^OpenRouter rejected the API key \\(OpenRouter answered HTTP ${status} on /key`),
      );
      expect(check.remedy).toMatch(/^Create a new key/);
    } else {
      expect(check.summary).toMatch(
        new RegExp(`^Could not verify the API key: OpenRouter answered HTTP ${status}`),
      );
    }
  });

  it.each([
    { status: 401, expected: 'fail' },
    { status: 403, expected: 'fail' },
    { status: 400, expected: 'error' },
  ])('the management key answered HTTP $status → $expected', async ({ status, expected }) => {
    runCheck.sim.current.clearFaults();
    runCheck.sim.current.injectFault('key', { kind: 'status', status, key: 'management' });
    const { auditSimulator, checkOf } = await import('../support/audit-harness');
    const check = checkOf(await auditSimulator(runCheck.sim.current, { config: { probe: false } }), 'auth');
    expect(check.status, check.summary).toBe(expected);
    expect(check.summary).toMatch(
      expected === 'fail'
        ? /^OpenRouter rejected the management key/
        : /^Could not verify the management key/,
    );
  });

  it('a key that answers is a pass naming its label; without a management key nothing more is claimed', async () => {
    const check = await runCheck('auth', { key: keyBody(), withoutManagementKey: true });
    expect(check).toMatchObject({
      status: 'pass',
      summary: 'API key sk-or-v1-abc...def authenticates',
      values: { label: 'sk-or-v1-abc...def', isFreeTier: false, isManagementKey: false },
    });
  });

  it('a management key as the API key fails, also under its deprecated field name', async () => {
    const check = await runCheck('auth', {
      key: keyBody({ is_management_key: undefined, is_provisioning_key: true }),
    });
    expect(check).toMatchObject({ status: 'fail', values: { isManagementKey: true } });
    expect(check.summary).toMatch(/is a management key: it cannot call completions/);
  });
});
