import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * The tests Stryker runs (`npm run mutate`): the unit and boundary tests of the mutated modules
 * (checks, redactor, retry policy, response parsers, alert decision, metric builder). The CDK,
 * CLI-binary, bundle and fault-matrix tests are end-to-end: they reach these modules too, but
 * each run of them costs seconds, and a mutant must be killed by a test of its own module.
 * Built rather than merged: mergeConfig would append this `include` to the base one.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: [
      'test/boundaries/**/*.test.ts',
      'test/checks/**/*.test.ts',
      'test/redaction/**/*.test.ts',
      'test/render/redaction.test.ts',
      'test/openrouter/response-parsers*.test.ts',
      'test/openrouter/retry-policy.test.ts',
      'test/alerts/decide-alert.test.ts',
      // The alert decision's redelivery, "monitoring resumed", digest memory and mutes are tested here.
      'test/alerts/redelivery.test.ts',
      'test/alerts/digest.test.ts',
      'test/engine/mutes.test.ts',
      'test/alerts/render-alert.test.ts',
      'test/lambda/aws/metrics.test.ts',
    ],
    reporters: ['default'],
    // Stryker's instrumented code runs slower, beside its other worker: a test that takes a second
    // alone (the redactor's offset sweeps) must not fail the initial run on a busy machine.
    testTimeout: 120_000,
    // These tests need no dist/: building it in Stryker's sandbox would fail and cost every run.
    globalSetup: [],
  },
});
