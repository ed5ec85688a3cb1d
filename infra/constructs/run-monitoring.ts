import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { STEP_METRICS } from '../../functions/step-runner/step-metrics.js';
import { acknowledge } from '../nag.js';
import type { PipelineStateMachine } from './pipeline-state-machine.js';

/** Days the monthly budget is spread over for the daily cost alarm. */
const DAYS_PER_MONTH = 30;

/** Props of {@link RunMonitoring}. */
export interface RunMonitoringProps {
  /** The tenant watched; the dashboard's name and the metrics' `tenant` dimension. */
  readonly tenantId: string;
  /** The tenant's state machines. */
  readonly machines: readonly PipelineStateMachine[];
  /** The step runner, for its duration and errors. */
  readonly stepRunner: lambda.IFunction;
  /** Provider spend (tokens, USD) a month; a day above a thirtieth of it raises the cost alarm. */
  readonly monthlyBudgetUsd: number;
  /**
   * Share of runs that may fail or time out in an hour before the failure-rate alarm goes off.
   * @default 10
   */
  readonly failureRatePercent?: number;
}

/**
 * Watches one tenant's runs: a dashboard (runs, failures, degraded steps, tokens, cost, step
 * latency), an alarm on the hourly failure rate across its pipelines, an alarm on a day's provider
 * cost, and the SNS topic both alarms (and each pipeline's failed-execution alarm) notify.
 *
 * @example
 * const monitoring = new RunMonitoring(this, 'Monitoring', { tenantId: 'acme', machines, stepRunner, monthlyBudgetUsd: 100 });
 * // subscribe: aws sns subscribe --topic-arn <monitoring.topic> --protocol email --notification-endpoint ops@acme.test
 */
export class RunMonitoring extends Construct {
  /** Where every alarm of the tenant sends its notifications. */
  readonly topic: sns.Topic;
  /** In alarm when more than `failureRatePercent` of an hour's runs of any pipeline failed or timed out. */
  readonly failureRateAlarm: cloudwatch.CompositeAlarm;
  /** In alarm when a day's provider cost passed the daily share of the monthly budget. */
  readonly costAlarm: cloudwatch.Alarm;
  /** The dashboard, `elexirion-<tenant>`. */
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: RunMonitoringProps) {
    super(scope, id);
    if (props.monthlyBudgetUsd <= 0) {
      throw new Error(`${this.node.path}: monthlyBudgetUsd must be positive, got ${props.monthlyBudgetUsd}`);
    }
    const hour = Duration.hours(1);
    const { machines } = props;
    const started = machines.map((m) => m.stateMachine.metricStarted({ period: hour, statistic: 'Sum' }));
    const failed = machines.flatMap((m) => [
      m.stateMachine.metricFailed({ period: hour, statistic: 'Sum' }),
      m.stateMachine.metricTimedOut({ period: hour, statistic: 'Sum' }),
    ]);
    const runs = sumOf('Runs', 'started', started, hour);
    const failures = sumOf('Failed or timed out', 'failed', failed, hour);
    const failureRate = new cloudwatch.MathExpression({
      label: 'Failure rate (%)',
      expression: '100 * failures / runs',
      usingMetrics: { failures, runs },
      period: hour,
    });
    const step = (metricName: string, statistic: string, period = hour) =>
      new cloudwatch.Metric({
        namespace: STEP_METRICS.namespace,
        metricName,
        dimensionsMap: { service: STEP_METRICS.service, [STEP_METRICS.tenantDimension]: props.tenantId },
        statistic,
        period,
      });
    const { names } = STEP_METRICS;
    const dailyCost = step(names.costUsd, 'Sum', Duration.days(1));

    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: `Elexirion alarms of tenant ${props.tenantId}`,
      enforceSSL: true,
    });
    acknowledge(
      this.topic,
      'AwsSolutions-SNS2',
      'The topic carries only alarm state changes (names and thresholds, no run data); CloudWatch cannot ' +
        'publish to a topic encrypted with the AWS-managed SNS key, and a customer-managed key would add a ' +
        'fixed monthly charge per tenant for no confidential payload.',
    );
    const notify = new actions.SnsAction(this.topic);
    // An alarm's math may use at most 10 metrics, so the rate is alarmed per pipeline (3 metrics
    // each) and the tenant's alarm is a composite of them: it scales to any number of pipelines.
    const threshold = props.failureRatePercent ?? 10;
    const perPipeline = machines.map((m) =>
      new cloudwatch.MathExpression({
        label: `Failure rate of ${m.pipeline.name} (%)`,
        expression: '100 * (failed + timedOut) / started',
        usingMetrics: {
          failed: m.stateMachine.metricFailed({ period: hour, statistic: 'Sum' }),
          timedOut: m.stateMachine.metricTimedOut({ period: hour, statistic: 'Sum' }),
          started: m.stateMachine.metricStarted({ period: hour, statistic: 'Sum' }),
        },
        period: hour,
      }).createAlarm(this, `FailureRate-${m.pipeline.name}`, {
        alarmDescription: `More than ${threshold}% of an hour's runs of pipeline ${m.pipeline.name} failed`,
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.failureRateAlarm = new cloudwatch.CompositeAlarm(this, 'FailureRate', {
      alarmDescription: `More than ${threshold}% of an hour's runs of one of tenant ${props.tenantId}'s pipelines failed`,
      alarmRule: cloudwatch.AlarmRule.anyOf(...perPipeline),
    });
    const dailyBudget = props.monthlyBudgetUsd / DAYS_PER_MONTH;
    this.costAlarm = dailyCost.createAlarm(this, 'DailyCost', {
      alarmDescription: `Tenant ${props.tenantId} spent more than ${dailyBudget.toFixed(2)} USD on providers in a day (budget ${props.monthlyBudgetUsd} USD a month)`,
      threshold: dailyBudget,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.failureRateAlarm, this.costAlarm, ...machines.map((m) => m.failedAlarm)]) {
      alarm.addAlarmAction(notify);
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `elexirion-${props.tenantId}`,
      defaultInterval: Duration.days(7),
      widgets: [
        [
          graph('Runs and failures', [runs, failures]),
          graph('Failure rate (%)', [failureRate]),
          graph('Degraded steps', [step(names.degradedSteps, 'Sum')]),
        ],
        [
          graph('Tokens', [step(names.inputTokens, 'Sum'), step(names.outputTokens, 'Sum')]),
          graph('Provider cost (USD)', [step(names.costUsd, 'Sum')]),
          graph('Step latency (ms)', [
            step(names.providerLatency, 'p50'),
            step(names.providerLatency, 'p90'),
            props.stepRunner.metricDuration({ statistic: 'p90', period: hour }),
          ]),
        ],
      ],
    });
  }
}

/** The sum of several metrics as one line; `idPrefix` keeps its metric ids apart from another sum's. */
function sumOf(
  label: string,
  idPrefix: string,
  metrics: readonly cloudwatch.IMetric[],
  period: Duration,
): cloudwatch.MathExpression {
  const usingMetrics = Object.fromEntries(metrics.map((metric, i) => [`${idPrefix}${i}`, metric]));
  return new cloudwatch.MathExpression({
    label,
    expression: Object.keys(usingMetrics).join(' + '),
    usingMetrics,
    period,
  });
}

function graph(title: string, left: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, width: 8 });
}
