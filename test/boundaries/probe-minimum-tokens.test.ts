/**
 * test-request against a provider's `max_tokens` floor: a 400 "below minimum value … >= N" is
 * asked once more at N when N is at most MAX_PROBE_MINIMUM_TOKENS, and is a failure otherwise.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PROBE_MINIMUM_TOKENS } from '../../lambda/checks/test-request';
import type { AuditConfigInput } from '../../lambda/engine/config';
import { auditSimulator, checkOf } from '../support/audit-harness';
import { MODEL, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();
const sim = () => runCheck.sim.current;

afterEach(() => sim().setScenario('healthy'));

async function probeOnce(config: AuditConfigInput = {}) {
  sim().resetCounts();
  const check = checkOf(await auditSimulator(sim(), { config: { probe: true, ...config } }), 'test-request');
  return { check, chatRequests: sim().requestCount('chat') };
}

/** OpenAI's refusal as OpenRouter relays it: the floor is stated in the upstream error. */
const belowMinimum = (floor: number) => ({
  kind: 'status' as const,
  status: 400,
  body: {
    error: {
      code: 400,
      message: 'Provider returned error',
      metadata: {
        raw: `{"error":{"message":"Invalid 'max_tokens': integer below minimum value. Expected a value >= ${floor}, but got 1 instead."}}`,
      },
    },
  },
  times: 1,
  model: MODEL,
});

describe('test-request: the provider minimum max_tokens', () => {
  it('the 16-token floor scenario: probeMaxTokens 1 is asked again at 16 and answers, with a note', async () => {
    sim().setScenario('provider-minimum-tokens');
    const { check, chatRequests } = await probeOnce({ probeMaxTokens: 1 });
    expect(check.status, check.summary).toBe('pass');
    expect(chatRequests).toBe(2);
    expect(check.summary).toMatch(
      /\(note: openai\/gpt-4o-mini: the provider requires max_tokens >= 16; probed again with 16 \(probeMaxTokens is 1\)\)$/,
    );
    expect(check.values).toMatchObject({ probes: [{ ok: true, note: expect.stringMatching(/>= 16/) }] });
  });

  it('the same scenario at probeMaxTokens 16: one request, no note', async () => {
    sim().setScenario('provider-minimum-tokens');
    const { check, chatRequests } = await probeOnce({ probeMaxTokens: 16 });
    expect(check.status, check.summary).toBe('pass');
    expect(chatRequests).toBe(1);
    expect(check.values).toMatchObject({ probes: [{ ok: true, note: null }] });
  });

  it.each([
    { floor: MAX_PROBE_MINIMUM_TOKENS, expected: 'pass', requests: 2 },
    { floor: MAX_PROBE_MINIMUM_TOKENS + 1, expected: 'fail', requests: 1 },
  ])(
    'a floor of $floor (largest retried: 64) → $expected after $requests request(s)',
    async ({ floor, expected, requests }) => {
      expect(MAX_PROBE_MINIMUM_TOKENS).toBe(64);
      runCheck.sim.current.clearFaults();
      sim().injectFault('chat', belowMinimum(floor));
      const { check, chatRequests } = await probeOnce({ probeMaxTokens: 1 });
      expect(check.status, check.summary).toBe(expected);
      expect(chatRequests).toBe(requests);
      if (expected === 'pass') {
        expect(check.summary).toMatch(
          new RegExp(`requires max_tokens >= ${floor}; probed again with ${floor}`),
        );
      } else {
        expect(check.summary).toMatch(
          /^Primary model openai\/gpt-4o-mini failed: OpenRouter answered HTTP 400/,
        );
        expect(check.values).toMatchObject({ probesFailed: 1, probes: [{ ok: false, note: null }] });
      }
    },
  );

  it('a floor no higher than the tokens asked is not a reason to ask again', async () => {
    runCheck.sim.current.clearFaults();
    sim().injectFault('chat', belowMinimum(16));
    const { check, chatRequests } = await probeOnce({ probeMaxTokens: 16 });
    expect(check.status, check.summary).toBe('fail');
    expect(chatRequests).toBe(1);
  });

  it('the same floor text in a non-400 answer is not retried', async () => {
    runCheck.sim.current.clearFaults();
    sim().injectFault('chat', { ...belowMinimum(16), status: 422 });
    const { check, chatRequests } = await probeOnce({ probeMaxTokens: 1 });
    expect(check.status, check.summary).toBe('fail');
    expect(chatRequests).toBe(1);
  });
});
