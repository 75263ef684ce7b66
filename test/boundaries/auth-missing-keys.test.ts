/**
 * auth when a key is missing or unusable before any request: never a pass, always the reason.
 */
import { describe, expect, it } from 'vitest';
import { parseAuditConfig } from '../../lambda/engine/config';
import { silentLogger } from '../../lambda/engine/logger';
import { runAudit } from '../../lambda/engine/run-audit';
import { createOpenRouterClient } from '../../lambda/openrouter/client';
import { auditSimulator, checkOf, FIXED_NOW } from '../support/audit-harness';
import { useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();

describe('auth without a usable key', () => {
  it('no API key at all fails, saying none was given', async () => {
    const s = runCheck.sim.current;
    const api = createOpenRouterClient({ baseUrl: s.baseUrl, managementKey: s.managementKey });
    expect(api.hasApiKey).toBe(false);
    const result = await runAudit(parseAuditConfig({ probe: false }), {
      api,
      now: () => FIXED_NOW,
      logger: silentLogger,
    });
    expect(checkOf(result, 'auth')).toMatchObject({
      status: 'fail',
      summary: 'No usable API key: none was given',
      remedy: expect.stringMatching(/^Provide the OpenRouter API key/),
    });
  });

  it('a management key that could not be read fails, with the reason, though the API key works', async () => {
    const check = checkOf(
      await auditSimulator(runCheck.sim.current, {
        config: { probe: false },
        deps: { managementKeyProblem: 'secret prod/openrouter-management is empty' },
      }),
      'auth',
    );
    expect(check).toMatchObject({
      status: 'fail',
      summary: 'The management key is configured but unusable: secret prod/openrouter-management is empty',
      values: { isManagementKey: false },
    });
  });
});
