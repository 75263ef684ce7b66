/**
 * key-age: which entry of the key list is the API key when its masked label repeats. The creation
 * date read (and so the age) tells which entry was taken.
 */
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ID } from '../../simulator/account';
import { RESEARCH_WORKSPACE } from '../../simulator/scenarios';
import { DAY_MS, daysFromNow, keyBody, listedKey, NOW, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();

const ageOf = (iso: string) => Math.round(((NOW.getTime() - Date.parse(iso)) / DAY_MS) * 10) / 10;

describe('key-age: a label that repeats', () => {
  it("the entry in the API key's own workspace wins over an older one elsewhere", async () => {
    expect(RESEARCH_WORKSPACE.id).not.toBe(WORKSPACE_ID);
    const own = daysFromNow(-10);
    const check = await runCheck('key-age', {
      key: keyBody({ workspace_id: WORKSPACE_ID }),
      keys: [
        listedKey({ created_at: daysFromNow(-200), workspace_id: RESEARCH_WORKSPACE.id }),
        listedKey({ created_at: own, workspace_id: WORKSPACE_ID }),
      ],
    });
    expect(check).toMatchObject({ status: 'pass', values: { createdAt: own, keyAgeDays: ageOf(own) } });
  });

  it('within one workspace, the entry whose figures match GET /key wins, wherever it is listed', async () => {
    const figures = {
      limit: 50,
      limit_remaining: 30,
      usage: 20,
      usage_daily: 2,
      usage_weekly: 5,
      usage_monthly: 20,
    };
    const matching = daysFromNow(-20);
    const check = await runCheck('key-age', {
      key: keyBody({ workspace_id: WORKSPACE_ID, ...figures }),
      keys: [
        listedKey({ created_at: daysFromNow(-120), workspace_id: WORKSPACE_ID }),
        listedKey({ created_at: matching, workspace_id: WORKSPACE_ID, ...figures }),
      ],
    });
    expect(check).toMatchObject({
      status: 'pass',
      values: { createdAt: matching, keyAgeDays: ageOf(matching) },
    });
  });

  it('between otherwise equal entries, the enabled one wins over a disabled one', async () => {
    const enabled = daysFromNow(-5);
    const check = await runCheck('key-age', {
      key: keyBody({ workspace_id: WORKSPACE_ID }),
      keys: [
        listedKey({ created_at: daysFromNow(-150), workspace_id: WORKSPACE_ID, disabled: true }),
        listedKey({ created_at: enabled, workspace_id: WORKSPACE_ID }),
      ],
    });
    expect(check).toMatchObject({ status: 'pass', values: { createdAt: enabled } });
  });
});
