import { readFileSync } from 'node:fs';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OpenRouterAuditor, type OpenRouterAuditorProps } from '../../lib/openrouter-auditor';

/*
 * Helpers for the CDK tests: build one stack around the construct (environment-agnostic, like the
 * app), and read what a template says without depending on logical ids.
 */

export interface Built {
  readonly app: App;
  readonly stack: Stack;
  readonly auditor: OpenRouterAuditor;
}

export interface BuildOptions {
  /**
   * Run the synth-time checks the app runs: CDK's built-in CloudFormation validation (schema and
   * rules, violations as errors) and cdk-nag's AwsSolutions pack. Slow (a WebAssembly engine), so
   * only the tests about them turn it on.
   * @default false
   */
  readonly validate?: boolean;
}

/** The CDK context flag that turns CloudFormation rule violations into synth errors (also in cdk.json). */
export const VALIDATE_AGAINST_DEFAULT_RULES = '@aws-cdk/core:validateAgainstDefaultRules';

/**
 * The context of cdk.json (the recommended feature flags among it), so the tests synthesize the
 * templates `cdk synth` does.
 */
export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

/** A new App with cdk.json's context, with or without the synth-time checks. */
export function newApp(options: BuildOptions = {}): App {
  const validate = options.validate ?? false;
  const { [VALIDATE_AGAINST_DEFAULT_RULES]: _validation, ...flags } = CDK_JSON_CONTEXT;
  const app = new App({
    builtinCloudFormationValidation: validate,
    treeMetadata: false,
    context: validate ? { ...flags, [VALIDATE_AGAINST_DEFAULT_RULES]: true } : flags,
  });
  if (validate) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

/** Builds a stack with the construct; `props` may create supporting resources (keys, secrets) in the stack first. */
export function buildAuditor(
  props: OpenRouterAuditorProps | ((stack: Stack) => OpenRouterAuditorProps),
  options: BuildOptions = {},
): Built {
  const app = newApp(options);
  const stack = new Stack(app, 'TestStack');
  const auditor = new OpenRouterAuditor(stack, 'Auditor', typeof props === 'function' ? props(stack) : props);
  return { app, stack, auditor };
}

export function templateOf(built: Built): Template {
  return Template.fromStack(built.stack);
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: Json;
  readonly Condition?: Json;
  readonly Principal?: Json;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every statement of every identity policy (AWS::IAM::Policy and roles' inline policies), with its resource's logical id. */
export function identityStatements(
  template: Template,
): { readonly owner: string; readonly statement: PolicyStatementJson }[] {
  const out: { owner: string; statement: PolicyStatementJson }[] = [];
  const push = (owner: string, document: unknown) => {
    const statements = isRecord(document) ? document.Statement : undefined;
    if (!Array.isArray(statements)) return;
    // Template JSON: the tests assert each field they rely on, so a shape mismatch fails there.
    for (const statement of statements) out.push({ owner, statement: statement as PolicyStatementJson });
  };
  for (const [id, resource] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    push(id, resource.Properties?.PolicyDocument);
  }
  for (const [id, resource] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    const policies: unknown = resource.Properties?.Policies;
    if (Array.isArray(policies))
      for (const p of policies) push(id, isRecord(p) ? p.PolicyDocument : undefined);
  }
  return out;
}

/** The statements of the policy attached to the role whose logical id starts with `rolePrefix`. */
export function statementsOfRole(template: Template, rolePrefix: string): PolicyStatementJson[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) => {
    const roles: unknown = policy.Properties?.Roles;
    return Array.isArray(roles) && roles.some((r) => isRecord(r) && String(r.Ref).startsWith(rolePrefix));
  });
  // Template JSON (typed `any` by assertions); the tests assert each field they rely on.
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]);
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/**
 * A CloudFormation value rendered to a string: literal parts joined, references as readable
 * placeholders (`<Ref:X>`, `<GetAtt:X.Attr>`), so a dashboard body or an ARN can be inspected.
 */
export function renderCfn(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isRecord(value)) {
    const join = value['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join;
      return (Array.isArray(parts) ? parts : []).map(renderCfn).join(String(delimiter));
    }
    if (typeof value.Ref === 'string') return `<Ref:${value.Ref}>`;
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<GetAtt:${getAtt.map(String).join('.')}>`;
  }
  return JSON.stringify(value);
}

/** The dashboard's body, parsed. */
export function dashboardBody(template: Template): { widgets: DashboardWidget[] } {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  if (dashboards.length !== 1) throw new Error(`expected one dashboard, found ${dashboards.length}`);
  return JSON.parse(renderCfn(dashboards[0]?.Properties.DashboardBody));
}

export interface DashboardWidget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly metrics?: (string | Record<string, unknown>)[][];
    readonly annotations?: { readonly horizontal?: { readonly value: number; readonly label?: string }[] };
    readonly alarms?: string[];
    /** Logs Insights widgets: `SOURCE 'group' | query`. */
    readonly query?: string;
  };
}

/** One metric series of a widget: namespace, name, dimensions and rendering options. */
export interface DashboardMetric {
  readonly widget: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, unknown>>;
}

export function dashboardMetrics(body: { widgets: DashboardWidget[] }): DashboardMetric[] {
  return body.widgets.flatMap((widget) =>
    (widget.properties.metrics ?? []).map((row) => {
      const last = row[row.length - 1];
      const options = isRecord(last) ? last : {};
      const parts = row.filter((part): part is string => typeof part === 'string');
      const [namespace = '', name = '', ...dims] = parts;
      const dimensions: Record<string, string> = {};
      for (let i = 0; i + 1 < dims.length; i += 2) dimensions[dims[i] ?? ''] = dims[i + 1] ?? '';
      return { widget: widget.properties.title ?? widget.type, namespace, name, dimensions, options };
    }),
  );
}
