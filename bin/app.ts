import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OpenRouterAuditorStack } from '../lib/auditor-stack';
import { auditorAppFromContext } from '../lib/context-props';
import { AuditorPropsError } from '../lib/props-error';

// The CDK app: the stack from context (-c key=value or cdk.json), checked by cdk-nag on every synth.
const app = new App();
try {
  const { stackName, stackProps } = auditorAppFromContext((key) => app.node.tryGetContext(key));
  new OpenRouterAuditorStack(app, stackName, stackProps);
} catch (error) {
  // A bad setting is the user's to fix: one line naming it and what is allowed, not a stack trace.
  if (!(error instanceof AuditorPropsError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
