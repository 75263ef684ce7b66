/**
 * The parsers of status failures and of the management lists (workspaces, guardrails, key
 * assignments, workspace budgets): exact values for good answers, and for bad ones an error that
 * names the endpoint and the field, never a silent default.
 */
import { describe, expect, it } from 'vitest';
import { shapeRedactor } from '../../lambda/engine/redact';
import { OpenRouterError } from '../../lambda/openrouter/errors';
import {
  parseCreditsBody,
  parseErrorBody,
  parseKeysPageBody,
  parseModelsBody,
  parseSuccessBody,
  readGuardrailsPage,
  readKeyAssignmentsPage,
  readWorkspaceBudgets,
  readWorkspacesPage,
} from '../../lambda/openrouter/response-parsers';

function failure(run: () => unknown): OpenRouterError {
  try {
    run();
  } catch (error) {
    if (error instanceof OpenRouterError) return error;
    throw error;
  }
  throw new Error('expected an OpenRouterError');
}

/** A body through the client's pipeline, so a shape error comes back as the BAD_RESPONSE it sends. */
const parsed = <T>(endpoint: string, body: unknown, read: (body: unknown) => T): T =>
  parseSuccessBody(JSON.stringify(body), { endpoint, status: 200, redactor: shapeRedactor }, read);

describe('status failures', () => {
  it('reads an HTML error page without a title as having no API message', () => {
    const { error, apiError } = parseErrorBody(502, '/key', '<html><body>Bad gateway</body></html>');
    expect(apiError).toBeNull();
    expect(error).toMatchObject({
      code: 'HTTP_STATUS',
      message: 'OpenRouter answered HTTP 502 on /key: received an HTML page instead of JSON',
      status: 502,
      endpoint: '/key',
      apiMessage: undefined,
    });
  });

  it('turns a plain-text error body into HTTP_STATUS with the text as API message', () => {
    const { error, apiError } = parseErrorBody(503, '/credits', 'upstream connect error');
    expect(apiError).toBeNull();
    expect(error).toMatchObject({
      code: 'HTTP_STATUS',
      message: 'OpenRouter answered HTTP 503 on /credits',
      status: 503,
      endpoint: '/credits',
      apiMessage: 'upstream connect error',
    });
  });
});

describe('each body parser names its endpoint', () => {
  it.each([
    [
      '/credits',
      () => parseCreditsBody('{"data": 5}'),
      'OpenRouter sent an unexpected body on /credits: field "data" is missing or is not an object',
    ],
    [
      '/keys',
      () => parseKeysPageBody('{"data": {}}'),
      'OpenRouter sent an unexpected body on /keys: field "data" is missing or is not an array',
    ],
    [
      '/models',
      () => parseModelsBody('{}'),
      'OpenRouter sent an unexpected body on /models: field "data" is missing or is not an array',
    ],
  ])('%s', (endpoint, run, message) => {
    expect(failure(run)).toMatchObject({ code: 'BAD_RESPONSE', endpoint, status: 200, message });
  });
});

describe('GET /workspaces', () => {
  const workspace = {
    id: 'ws-1',
    name: 'Production',
    slug: 'production',
    default_guardrail_id: 'gr-1',
  };

  it('reads the workspaces and the total count', () => {
    expect(readWorkspacesPage({ data: [workspace, { id: 'ws-2' }], total_count: 2 })).toEqual({
      totalCount: 2,
      workspaces: [
        { id: 'ws-1', name: 'Production', slug: 'production', defaultGuardrailId: 'gr-1' },
        { id: 'ws-2', name: 'ws-2', slug: null, defaultGuardrailId: null },
      ],
    });
  });

  it('accepts a total count of zero and a missing one', () => {
    expect(readWorkspacesPage({ data: [], total_count: 0 })).toEqual({ totalCount: 0, workspaces: [] });
    expect(readWorkspacesPage({ data: [] })).toEqual({ totalCount: null, workspaces: [] });
  });

  it.each([-1, 2.5])('refuses a total count of %s, naming endpoint and field', (total) => {
    const error = failure(() => readWorkspacesPage({ data: [workspace], total_count: total }));
    expect(error).toMatchObject({
      code: 'BAD_RESPONSE',
      endpoint: '/workspaces',
      message: `GET /workspaces: total_count is ${total}, expected a count of 0 or more`,
    });
  });

  it.each([
    [[], 'field "" is missing or is not an object'],
    [{ data: 'none' }, 'field "data" is missing or is not an array'],
    [{ data: [workspace, 'ws-2'] }, 'field "data[1]" is missing or is not an object'],
    [{ data: [workspace, { name: 'Staging' }] }, 'field "data[1].id" is missing or is not a string'],
  ])('names the bad field of %o', (body, detail) => {
    expect(failure(() => parsed('/workspaces', body, readWorkspacesPage))).toMatchObject({
      code: 'BAD_RESPONSE',
      message: `OpenRouter sent an unexpected body on /workspaces: ${detail}`,
    });
  });
});

describe('GET /guardrails', () => {
  const guardrail = {
    id: 'gr-1',
    name: 'Team cap',
    limit_usd: 50,
    reset_interval: 'monthly',
    include_byok_in_budgets: true,
    workspace_id: 'ws-1',
  };

  it('reads every field of a guardrail', () => {
    expect(readGuardrailsPage({ data: [guardrail], total_count: 1 })).toEqual({
      totalCount: 1,
      items: [
        {
          id: 'gr-1',
          name: 'Team cap',
          limitUsd: 50,
          resetInterval: 'monthly',
          includeByokInBudgets: true,
          workspaceId: 'ws-1',
        },
      ],
    });
  });

  it('reads a guardrail without a budget (limit_usd null or absent) and without a name', () => {
    expect(readGuardrailsPage({ data: [{ id: 'gr-2', limit_usd: null }, { id: 'gr-3' }] }).items).toEqual([
      {
        id: 'gr-2',
        name: 'gr-2',
        limitUsd: null,
        resetInterval: null,
        includeByokInBudgets: null,
        workspaceId: null,
      },
      {
        id: 'gr-3',
        name: 'gr-3',
        limitUsd: null,
        resetInterval: null,
        includeByokInBudgets: null,
        workspaceId: null,
      },
    ]);
  });

  it.each([
    [3, 3],
    [0, 0],
    ['4', 4],
    [undefined, null],
    [null, null],
  ])('reads total_count %o as %o (a count, or unknown when absent)', (total, expected) => {
    expect(readGuardrailsPage({ data: [], total_count: total }).totalCount).toBe(expected);
  });

  it.each([
    ['/guardrails', readGuardrailsPage],
    ['/guardrails/assignments/keys', readKeyAssignmentsPage],
    ['/workspaces/{id}/budgets', readWorkspaceBudgets],
  ] as const)('refuses a %s page whose total_count is no count, as /workspaces does', (endpoint, read) => {
    for (const total of [-1, 2.5]) {
      expect(failure(() => read({ data: [], total_count: total }))).toMatchObject({
        code: 'BAD_RESPONSE',
        endpoint,
        message: `GET ${endpoint}: total_count is ${total}, expected a count of 0 or more`,
      });
    }
  });

  it('refuses workspace budgets whose BYOK flag is malformed, naming endpoint and field', () => {
    expect(
      failure(() => readWorkspaceBudgets({ data: [{ limit_usd: 5 }], include_byok_in_budgets: 'yes' })),
    ).toMatchObject({
      code: 'BAD_RESPONSE',
      endpoint: '/workspaces/{id}/budgets',
      message: 'GET /workspaces/{id}/budgets: include_byok_in_budgets is "yes", expected true or false',
    });
    expect(readWorkspaceBudgets({ data: [], include_byok_in_budgets: 'false' }).includeByokInBudgets).toBe(
      false,
    );
    expect(readWorkspaceBudgets({ data: [] }).includeByokInBudgets).toBeNull();
  });

  it.each([
    [{ limit_usd: -3 }, 'GET /guardrails: data[1].limit_usd is -3, expected an amount of 0 or more or null'],
    [
      { reset_interval: 'hourly' },
      'GET /guardrails: data[1].reset_interval is "hourly", expected one of daily, weekly, monthly or null',
    ],
    [
      { include_byok_in_budgets: 'yes' },
      'GET /guardrails: data[1].include_byok_in_budgets is "yes", expected true or false',
    ],
    [{ workspace_id: 7 }, 'GET /guardrails: data[1].workspace_id is 7, expected a string or null'],
  ])('refuses the page when %o, naming endpoint and field', (change, message) => {
    const error = failure(() => readGuardrailsPage({ data: [guardrail, { ...guardrail, ...change }] }));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', endpoint: '/guardrails', message });
  });

  it.each([
    ['a string', 'field "" is missing or is not an object'],
    [{ data: null }, 'field "data" is missing or is not an array'],
    [{ data: [guardrail, 7] }, 'field "data[1]" is missing or is not an object'],
    [{ data: [guardrail, { name: 'x' }] }, 'field "data[1].id" is missing or is not a string'],
  ])('names the bad field of %o', (body, detail) => {
    expect(failure(() => parsed('/guardrails', body, readGuardrailsPage))).toMatchObject({
      code: 'BAD_RESPONSE',
      message: `OpenRouter sent an unexpected body on /guardrails: ${detail}`,
    });
  });
});

describe('GET /guardrails/assignments/keys', () => {
  it('reads key hash and guardrail of each assignment', () => {
    const hash = 'f0'.repeat(32);
    expect(
      readKeyAssignmentsPage({ data: [{ key_hash: hash, guardrail_id: 'gr-1' }], total_count: 1 }),
    ).toEqual({ totalCount: 1, items: [{ keyHash: hash, guardrailId: 'gr-1' }] });
  });

  it('names a missing key hash', () => {
    const body = { data: [{ guardrail_id: 'gr-1' }] };
    expect(failure(() => parsed('/guardrails/assignments/keys', body, readKeyAssignmentsPage))).toMatchObject(
      {
        code: 'BAD_RESPONSE',
        message:
          'OpenRouter sent an unexpected body on /guardrails/assignments/keys: field "data[0].key_hash" is missing or is not a string',
      },
    );
  });
});

describe('GET /workspaces/{id}/budgets', () => {
  it('reads the budgets, a lifetime one with reset_interval null, and the BYOK flag', () => {
    expect(
      readWorkspaceBudgets({
        data: [
          { limit_usd: 100, reset_interval: 'monthly' },
          { limit_usd: '250', reset_interval: null },
        ],
        total_count: 2,
        include_byok_in_budgets: true,
      }),
    ).toEqual({
      budgets: [
        { limitUsd: 100, resetInterval: 'monthly' },
        { limitUsd: 250, resetInterval: null },
      ],
      includeByokInBudgets: true,
    });
  });

  it('refuses a budget without a limit, naming endpoint and field', () => {
    const error = failure(() => readWorkspaceBudgets({ data: [{ reset_interval: 'daily' }] }));
    expect(error).toMatchObject({
      code: 'BAD_RESPONSE',
      endpoint: '/workspaces/{id}/budgets',
      message: 'GET /workspaces/{id}/budgets: data[0].limit_usd is missing, expected an amount of 0 or more',
    });
  });

  it('names a body that is not an object', () => {
    expect(failure(() => parsed('/workspaces/ws-1/budgets', [], readWorkspaceBudgets))).toMatchObject({
      code: 'BAD_RESPONSE',
      message:
        'OpenRouter sent an unexpected body on /workspaces/ws-1/budgets: field "" is missing or is not an object',
    });
  });
});
