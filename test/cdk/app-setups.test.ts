import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { OpenRouterAuditorStack } from '../../lib/auditor-stack';
import { auditorAppFromContext, type ContextKey } from '../../lib/context-props';
import { newApp, renderCfn } from './support';

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

type Context = Partial<Record<ContextKey, string>>;

/** The four setups the deploy guide describes, as `-c` flags. */
const SETUPS: Record<string, Context> = {
  Default: {},
  Email: { alertEmails: 'oncall@example.com' },
  WebhookOnly: { slackWebhookSecret: 'team/slack-webhook' },
  Chatbot: { slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0456EFGH' },
};

function synthError(synth: () => unknown): string {
  try {
    synth();
    return '';
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

describe('the app in each setup', () => {
  it('synthesizes the default, e-mail, webhook-only and Chatbot setups with no cdk-nag finding', () => {
    const app = newApp({ validate: true });
    for (const [name, context] of Object.entries(SETUPS)) {
      const { stackProps } = auditorAppFromContext((key) => ({ ...context, stackName: name })[key]);
      new OpenRouterAuditorStack(app, name, stackProps);
    }
    expect(synthError(() => app.synth())).toBe('');
    // cdk-nag evaluates four stacks: slow on a loaded two-core machine, so a generous bound.
  }, 240_000);
});

interface Names {
  readonly stack: string;
  readonly region: string;
  readonly alarms: string[];
  /** Account-wide names: dashboards and Chatbot channel configurations. */
  readonly global: string[];
}

function namesOf(stack: OpenRouterAuditorStack): Names {
  const t = Template.fromStack(stack);
  const values = (type: string, property: string) =>
    Object.values(t.findResources(type)).map((r) => renderCfn(r.Properties[property]));
  return {
    stack: stack.stackName,
    region: stack.region,
    alarms: values('AWS::CloudWatch::Alarm', 'AlarmName'),
    global: [
      ...values('AWS::CloudWatch::Dashboard', 'DashboardName').map((name) => `dashboard ${name}`),
      ...values('AWS::Chatbot::SlackChannelConfiguration', 'ConfigurationName').map(
        (name) => `chatbot ${name}`,
      ),
    ],
  };
}

const duplicates = (items: readonly string[]) => items.filter((item, i) => items.indexOf(item) !== i);

function collisions(stacks: readonly Names[]): string[] {
  const found = duplicates(stacks.flatMap((s) => s.global));
  for (const region of new Set(stacks.map((s) => s.region))) {
    const here = stacks.filter((s) => s.region === region);
    found.push(...duplicates(here.flatMap((s) => s.alarms)), ...duplicates(here.map((s) => s.stack)));
  }
  return found;
}

function appWith(contexts: readonly Context[]): Names[] {
  const app = newApp();
  // Every stack first: the first template read synthesizes the whole app.
  const stacks = contexts.map((context, index) => {
    const { stackName, stackProps } = auditorAppFromContext((key) => context[key]);
    return new OpenRouterAuditorStack(app, `Stack${index}`, { ...stackProps, stackName });
  });
  return stacks.map(namesOf);
}

describe('two stacks in one app', () => {
  const chatbot = { slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0456EFGH' };

  it('two environments in two regions share no name', () => {
    const stacks = appWith([
      { environmentName: 'prod', region: 'us-east-1', ...chatbot },
      { environmentName: 'staging', region: 'eu-west-1', ...chatbot },
    ]);
    expect(stacks.map((s) => s.alarms.length)).toEqual([6, 6]);
    expect(stacks[0]?.alarms).toContain('OpenRouterAudit-prod-no-audit-completed');
    expect(stacks[1]?.global).toContain('dashboard OpenRouterAudit-staging-eu-west-1');
    expect(collisions(stacks)).toEqual([]);
  });

  it('the same stack in two regions shares no account-wide name (dashboards, Chatbot)', () => {
    const stacks = appWith([
      { region: 'us-east-1', ...chatbot },
      { region: 'eu-west-1', ...chatbot },
    ]);
    expect(stacks.map((s) => s.stack)).toEqual(['OpenRouterAuditor', 'OpenRouterAuditor']);
    expect(collisions(stacks)).toEqual([]);
  });

  it('finds a collision when there is one, so the check can fail', () => {
    const stacks = appWith([
      { region: 'us-east-1' },
      { region: 'us-east-1', stackName: 'OpenRouterAuditor' },
    ]);
    expect(collisions(stacks).length).toBeGreaterThan(0);
  });
});

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** bin/app.ts as `cdk synth` runs it: context through CDK_CONTEXT_JSON, output to CDK_OUTDIR. */
async function synthApp(context: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const out = mkdtempSync(join(tmpdir(), 'auditor-app-'));
  try {
    await run(join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
      cwd: ROOT,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: out },
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? '' };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('bin/app.ts with a bad context value', () => {
  it.each([
    ['schedule', 'rate(1 minute)', /^OpenRouterAuditor: schedule: .*from 5 to 1440/],
    ['metricSet', 'all', /^OpenRouterAuditor: context "metricSet": must be one of essential, full$/],
  ])('-c %s=%s prints one line naming the key and what is allowed, and exits 1', async (key, value, line) => {
    const { code, stderr } = await synthApp({ [key]: value });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
