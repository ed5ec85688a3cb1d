import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import type { ArtifactBucket } from './artifact-bucket.js';
import type { PipelineStateMachine } from './pipeline-state-machine.js';
import type { RegisteredPipelines } from './registered-pipelines.js';

/** The `detail-type` of an event that asks for a run (`detail`: pipeline, input, idempotency key). */
const PIPELINE_REQUESTED = 'PipelineRequested';

/** Execution statuses that end a run. */
const FINAL_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

/** Props of {@link RunEvents}. */
export interface RunEventsProps {
  /** The tenant; it names the bus. */
  readonly tenantId: string;
  /** The bucket whose inbox starts runs. */
  readonly artifacts: ArtifactBucket;
  /** The tenant's state machines, whose executions' ends are reported. */
  readonly machines: readonly PipelineStateMachine[];
  /** The pipelines the tenant registers at run time, whose executions' ends are reported too. */
  readonly registered: RegisteredPipelines;
  /** Starts runs from inbox objects and `PipelineRequested` events (`functions/handlers/trigger.ts`). */
  readonly trigger: lambda.IFunction;
  /** Finishes runs from execution status changes (`functions/handlers/execution-events.ts`). */
  readonly executionEvents: lambda.IFunction;
}

/**
 * The events around a tenant's runs: its own bus `elexirion-<tenant>` (where `PipelineRequested`
 * arrives and `PipelineRunCompleted` / `PipelineRunFailed` leave), a rule per trigger, and a rule
 * that reports the end of every execution of the tenant's state machines. Each target retries and
 * then parks undeliverable events in a dead-letter queue.
 *
 * @example
 * const runEvents = new RunEvents(this, 'Events', { tenantId: 'acme', artifacts, machines, trigger, executionEvents });
 * runEvents.bus.grantPutEventsTo(executionEvents);
 */
export class RunEvents extends Construct {
  /** The tenant's bus. */
  readonly bus: events.EventBus;
  /** Where events no target could take end up, kept 14 days. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: RunEventsProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: `elexirion-${props.tenantId}` });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the tenant’s inbox, PipelineRequested and execution-end ' +
        'rules (EventBridge DLQs are not SQS redrive policies, so the rule cannot see it); a queue behind it ' +
        'would only move the problem.',
    );
    const deliver = (fn: lambda.IFunction) =>
      new targets.LambdaFunction(fn, {
        retryAttempts: 4,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: this.deadLetterQueue,
      });
    const { bucket } = props.artifacts;

    // 1. An object created under tenants/<tenant>/inbox/ asks for a run.
    new events.Rule(this, 'InboxObject', {
      description: `Starts a run of tenant ${props.tenantId} for each object created in its inbox`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [bucket.bucketName] },
          object: { key: [{ prefix: props.artifacts.inboxPrefix }] },
        },
      },
      targets: [deliver(props.trigger)],
    });
    // 2. A PipelineRequested event on the tenant's bus asks for a run.
    new events.Rule(this, 'PipelineRequested', {
      description: `Starts a run of tenant ${props.tenantId} for each ${PIPELINE_REQUESTED} event`,
      eventBus: this.bus,
      eventPattern: { detailType: [PIPELINE_REQUESTED] },
      targets: [deliver(props.trigger)],
    });
    // 3. An execution of one of the tenant's state machines ended: finish its run.
    new events.Rule(this, 'ExecutionEnded', {
      description: `Finishes the runs of tenant ${props.tenantId} when their executions end`,
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [
            ...props.machines.map((machine) => machine.stateMachine.stateMachineArn),
            { prefix: props.registered.stateMachineArnPrefix() },
          ],
          status: FINAL_STATUSES,
        },
      },
      targets: [deliver(props.executionEvents)],
    });
  }
}
