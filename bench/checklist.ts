import { Agent, request } from 'undici';
import type { Endpoint } from './api-trace';
import type { AuditTarget } from './audit-run';

/**
 * The same work as an audit, done the way a checklist script of curl calls does it: one request at
 * a time, each waiting for the previous answer. Same endpoints, same keys, same bodies as the
 * client sends; keep-alive connections, so the comparison is about waiting, not about TCP.
 */

/** The probe prompt of lambda/checks/test-request.ts (not exported there), so the bodies match. */
const PROBE_PROMPT = 'Reply with the single word OK.';
const PAGE_SIZE = 100;

export interface ChecklistStep {
  readonly endpoint: Endpoint;
  readonly ms: number;
}

export interface ChecklistRun {
  readonly totalMs: number;
  readonly steps: readonly ChecklistStep[];
}

export async function runChecklist(
  target: Required<AuditTarget>,
  models: readonly string[],
  maxTokens: number,
): Promise<ChecklistRun> {
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  const steps: ChecklistStep[] = [];
  const call = async (
    endpoint: Endpoint,
    path: string,
    key: string | undefined,
    body?: unknown,
  ): Promise<unknown> => {
    const started = performance.now();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await request(`${target.baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher,
    });
    const parsed: unknown = await response.body.json();
    if (response.statusCode !== 200) throw new Error(`checklist: ${path} answered ${response.statusCode}`);
    steps.push({ endpoint, ms: performance.now() - started });
    return parsed;
  };

  const started = performance.now();
  try {
    await call('key', '/key', target.apiKey);
    await call('key-management', '/key', target.managementKey);
    await call('credits', '/credits', target.managementKey);
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await call('keys', `/keys?include_disabled=true&offset=${offset}`, target.managementKey);
      if (pageLength(page) < PAGE_SIZE) break;
    }
    await call('models', '/models', undefined);
    for (const model of models) {
      await call('chat', '/chat/completions', target.apiKey, {
        model,
        messages: [{ role: 'user', content: PROBE_PROMPT }],
        max_tokens: maxTokens,
        stream: false,
        usage: { include: true },
      });
    }
    return { totalMs: performance.now() - started, steps };
  } finally {
    await dispatcher.close();
  }
}

function pageLength(page: unknown): number {
  if (typeof page !== 'object' || page === null || !('data' in page) || !Array.isArray(page.data)) {
    throw new Error('checklist: /keys answered without a data array');
  }
  return page.data.length;
}
