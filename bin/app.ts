import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OpenRouterAuditorStack } from '../lib/auditor-stack';
import { auditorAppFromContext } from '../lib/context-props';

// The CDK app: the stack from context (-c key=value or cdk.json), checked by cdk-nag on every synth.
const app = new App();
const { stackName, stackProps } = auditorAppFromContext((key) => app.node.tryGetContext(key));
new OpenRouterAuditorStack(app, stackName, stackProps);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
