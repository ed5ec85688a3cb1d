import { Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  DEPLOYED_PIPELINES_VARIABLE,
  type DeployedPipelines,
} from '../../functions/runs/deployed-pipelines.js';
import type { ArtifactBucket } from './artifact-bucket.js';
import { HandlerFunction } from './handler-function.js';
import type { PipelineStateMachine } from './pipeline-state-machine.js';
import { RegisteredPipelines } from './registered-pipelines.js';
import { RunApi } from './run-api.js';
import { RunEvents } from './run-events.js';
import type { RunTables } from './run-tables.js';
import type { SpecBundles } from './spec-bundles.js';

/** Props of {@link RunControl}. */
export interface RunControlProps {
  /** The tenant whose runs it starts and finishes. */
  readonly tenantId: string;
  readonly artifacts: ArtifactBucket;
  readonly tables: RunTables;
  /** The deployed pipelines' state machines. */
  readonly machines: readonly PipelineStateMachine[];
  /** Where each deployed pipeline's spec bundle is. */
  readonly specs: SpecBundles;
  /** The step runner, which state machines registered at run time call too. */
  readonly stepRunner: lambda.IFunction;
  /** Steady-state requests per second of the tenant's run API. */
  readonly rateLimit: number;
  /** Requests the tenant may burst above the rate. */
  readonly burstLimit: number;
}

/**
 * Everything that starts and finishes a tenant's runs: the run API (`functions/handlers/api.ts`)
 * behind API Gateway and its key authorizer, the trigger (`trigger.ts`) on the inbox and
 * `PipelineRequested` rules, the execution-end handler (`execution-events.ts`), and what pipelines
 * registered at run time need. Each function gets the grants its job needs and no more.
 *
 * @example
 * new RunControl(this, 'RunControl', { tenantId: 'acme', artifacts, tables, machines, specs, stepRunner, rateLimit: 10, burstLimit: 20 });
 */
export class RunControl extends Construct {
  /** The run API. */
  readonly api: RunApi;
  /** The tenant's bus and rules. */
  readonly events: RunEvents;

  constructor(scope: Construct, id: string, props: RunControlProps) {
    super(scope, id);
    const { tenantId, artifacts, tables, machines } = props;
    const registered = new RegisteredPipelines(this, 'RegisteredPipelines', {
      tenantId,
      stepRunner: props.stepRunner,
    });
    const deployed: DeployedPipelines = Object.fromEntries(
      machines.map((m) => [
        m.pipeline.name,
        { stateMachine: m.stateMachine.stateMachineArn, bundleKey: props.specs.keyOf(m.pipeline.name) },
      ]),
    );
    // Names as `functions/control/config.ts` reads them.
    const environment = {
      ARTIFACT_BUCKET: artifacts.bucket.bucketName,
      RUNS_TABLE: tables.tables.runs.tableName,
      ATTEMPTS_TABLE: tables.tables.attempts.tableName,
      [DEPLOYED_PIPELINES_VARIABLE]: Stack.of(this).toJsonString(deployed),
    };
    const handler = (name: string, description: string, extra: Record<string, string> = {}) =>
      new HandlerFunction(this, name, {
        entry: `functions/handlers/${name}.ts`,
        serviceName: `elexirion-${name}`,
        tenantId,
        environment: { ...environment, ...extra },
        description,
      }).function;
    const api = handler('api', `Elexirion run API of tenant ${tenantId}`, {
      API_KEYS_TABLE: tables.tables.apiKeys.tableName,
      STEP_RUNNER_ARN: props.stepRunner.functionArn,
      STATE_MACHINE_ROLE_ARN: registered.role.roleArn,
      STATE_MACHINE_LOG_GROUP_ARN: registered.logGroup.logGroupArn,
    });
    const trigger = handler('trigger', `Starts runs of tenant ${tenantId} from its inbox and events`);
    const executionEvents = handler('execution-events', `Finishes runs of tenant ${tenantId}`);
    const authorizer = new HandlerFunction(this, 'authorizer', {
      entry: 'functions/handlers/authorizer.ts',
      serviceName: 'elexirion-authorizer',
      tenantId,
      environment: { API_KEYS_TABLE: tables.tables.apiKeys.tableName },
      description: `Checks the API keys of tenant ${tenantId}`,
    }).function;

    // Starters start runs; the API also follows, steers and registers them; the end handler closes them.
    for (const starter of [api, trigger]) {
      artifacts.grantTenantReadWrite(starter);
      tables.grantReadWriteRuns(starter);
      for (const machine of machines) machine.grantStartExecution(starter);
      registered.grantRun(starter);
    }
    for (const machine of machines) machine.grantManageExecutions(api);
    registered.grantRegister(api);
    tables.grantReadAttempts(api);
    tables.grantRecordFeedback(api);
    tables.grantLookupApiKeys(api);
    tables.grantLookupApiKeys(authorizer);
    tables.grantReadWriteRuns(executionEvents);
    tables.grantReadAttempts(executionEvents);

    this.api = new RunApi(this, 'Api', {
      tenantId,
      handler: api,
      authorizer,
      rateLimit: props.rateLimit,
      burstLimit: props.burstLimit,
    });
    this.events = new RunEvents(this, 'Events', {
      tenantId,
      artifacts,
      machines,
      registered,
      trigger,
      executionEvents,
    });
    for (const publisher of [api, trigger, executionEvents]) {
      publisher.addEnvironment('EVENT_BUS_NAME', this.events.bus.eventBusName);
      this.events.bus.grantPutEventsTo(publisher);
    }
  }
}
