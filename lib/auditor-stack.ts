import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { OpenRouterAuditor, type OpenRouterAuditorProps } from './openrouter-auditor';

export interface OpenRouterAuditorStackProps extends StackProps {
  /** Everything the auditor needs; see {@link OpenRouterAuditorProps}. */
  readonly auditor: OpenRouterAuditorProps;
}

/** A standalone stack around {@link OpenRouterAuditor}, with the links an operator needs as outputs. */
export class OpenRouterAuditorStack extends Stack {
  readonly auditor: OpenRouterAuditor;

  constructor(scope: Construct, id: string, props: OpenRouterAuditorStackProps) {
    super(scope, id, {
      description: 'OpenRouter auditor: scheduled audit Lambda, alert topic, alarms and dashboard',
      ...props,
    });
    this.auditor = new OpenRouterAuditor(this, 'Auditor', props.auditor);

    new CfnOutput(this, 'DashboardUrl', {
      description: 'CloudWatch dashboard of the audit',
      value: this.auditor.dashboardUrl,
    });
    new CfnOutput(this, 'AlertTopicArn', {
      description: 'SNS topic receiving alerts and alarm notifications (subscribe more endpoints here)',
      value: this.auditor.topic.topicArn,
    });
    new CfnOutput(this, 'LogGroupName', {
      description:
        "The function's log group (not /aws/lambda/NAME): aws logs tail NAME --follow, or Logs Insights",
      value: this.auditor.logGroup.logGroupName,
    });
    new CfnOutput(this, 'FunctionName', {
      description:
        'Auditor Lambda function (run it by hand: aws lambda invoke --function-name NAME out.json)',
      value: this.auditor.function.functionName,
    });
  }
}
