import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import { listStates } from '../local/definition-states.js';
import { Placeholder, RUN_TASK_SYNC } from '../pipelines/contract/spec-bundle.js';
import type { CompiledPipeline } from './compiled-pipelines.js';
import { ArtifactBucket } from './constructs/artifact-bucket.js';
import { REPO_ROOT } from './constructs/handler-function.js';
import { OptimizerJob } from './constructs/optimizer-job.js';
import { PipelineStateMachine } from './constructs/pipeline-state-machine.js';
import { ProviderSecrets } from './constructs/provider-secrets.js';
import { RunControl } from './constructs/run-control.js';
import { RunMonitoring } from './constructs/run-monitoring.js';
import { RunTables } from './constructs/run-tables.js';
import { SpecBundles } from './constructs/spec-bundles.js';
import { StepRunner } from './constructs/step-runner.js';
import { TestRunner } from './constructs/test-runner.js';
import type { TenantConfig } from './tenant-config.js';

/** Props of {@link TenantStack}. */
export interface TenantStackProps extends StackProps {
  /** The tenant's settings from `infra/tenants.yaml` (or the defaults). */
  readonly tenant: TenantConfig;
  /** The tenant's pipelines, compiled; one state machine each. */
  readonly pipelines: readonly CompiledPipeline[];
  /**
   * The optimizer's container image.
   * @default - built from `optimizer/` when it has a Dockerfile; no optimizer schedule otherwise
   */
  readonly optimizerImage?: ecs.ContainerImage;
}

/** The optimizer's build context (issue 6). */
const OPTIMIZER_DIR = 'optimizer';

/**
 * The stack name of a tenant: `Elexirion-<tenant>`.
 *
 * @example
 * tenantStackName('acme'); // 'Elexirion-acme'
 */
export function tenantStackName(tenantId: string): string {
  return `Elexirion-${tenantId}`;
}

/**
 * Everything one tenant runs on, in its own stack: data first, then the step runner and the state
 * machines, then what starts and finishes runs, then what optimizes and watches them. Nothing is
 * shared with another tenant.
 *
 * @example
 * new TenantStack(app, tenantStackName('acme'), { tenant, pipelines });
 */
export class TenantStack extends Stack {
  /**
   * The pipelines' state machines, in the order the tenant lists them; each holds the child state
   * machines of its nested pipelines.
   */
  readonly machines: readonly PipelineStateMachine[];
  /** The tenant's tables. */
  readonly tables: RunTables;

  constructor(scope: Construct, id: string, props: TenantStackProps) {
    super(scope, id, props);
    const { tenant, pipelines } = props;
    const tenantId = tenant.id;
    Tags.of(this).add('TenantId', tenantId);

    // 1. Data: artifacts and run records, fenced to the tenant; its provider keys; its spec bundles.
    const artifacts = new ArtifactBucket(this, 'Artifacts', { tenantId });
    const tables = new RunTables(this, 'Tables', { tenantId });
    this.tables = tables;
    const keys = new ProviderSecrets(this, 'ProviderKeys', { tenantId });
    const specs = new SpecBundles(this, 'SpecBundles', { tenantId, artifacts, pipelines });

    // 2. The step runner, and one state machine per pipeline calling it (with one per child execution).
    const stepRunner = new StepRunner(this, 'StepRunner', {
      tenantId,
      artifacts,
      tables,
      keys,
      providerMode: tenant.provider.mode,
      longestTaskTimeout: longestTaskTimeout(pipelines),
    });
    // Where test steps run, made only when a pipeline has one: its VPC endpoints are billed by the hour.
    const testRunner = runsTests(pipelines)
      ? new TestRunner(this, 'TestRunner', {
          tenantId,
          artifacts,
          ...(tenant.test_runner_image === undefined ? {} : { baseImage: tenant.test_runner_image }),
        })
      : undefined;
    this.machines = pipelines.map(
      (pipeline) =>
        new PipelineStateMachine(this, `Pipeline-${pipeline.name}`, {
          tenantId,
          pipeline,
          stepRunner: stepRunner.function,
          ...(testRunner === undefined ? {} : { testRunner }),
        }),
    );

    // 3. Starting and finishing runs: the run API, the triggers, the execution-end handler.
    new RunControl(this, 'RunControl', {
      tenantId,
      artifacts,
      tables,
      machines: this.machines,
      specs,
      stepRunner: stepRunner.function,
      rateLimit: tenant.api.rateLimit,
      burstLimit: tenant.api.burstLimit,
    });

    // 4. The nightly prompt optimizer.
    const optimizerImage = props.optimizerImage ?? this.optimizerImageFromRepository();
    if (optimizerImage) {
      const job = new OptimizerJob(this, 'Optimizer', {
        tenantId,
        image: optimizerImage,
        environment: {
          ARTIFACT_BUCKET: artifacts.bucket.bucketName,
          RUNS_TABLE: tables.tables.runs.tableName,
          ATTEMPTS_TABLE: tables.tables.attempts.tableName,
          // Secret names, not keys: the job reads the keys from Secrets Manager, as the step runner does.
          ANTHROPIC_KEY_SECRET: keys.secrets.anthropic.secretName,
          GEMINI_KEY_SECRET: keys.secrets.gemini.secretName,
        },
      });
      keys.grantRead(job.taskDefinition.taskRole);
      artifacts.grantTenantReadWrite(job.taskDefinition.taskRole);
      tables.grantReadAttempts(job.taskDefinition.taskRole);
      tables.grantReadWriteRuns(job.taskDefinition.taskRole);
    }

    // 5. Watching: dashboard, failure-rate and cost alarms.
    new RunMonitoring(this, 'Monitoring', {
      tenantId,
      machines: this.machines,
      stepRunner: stepRunner.function,
      monthlyBudgetUsd: tenant.budget.monthlyUsd,
    });
  }

  /**
   * The image built from `optimizer/`, or none while it has no Dockerfile (the optimizer is written
   * elsewhere, issue 6): the schedule is then left out, with a synth warning saying so.
   */
  private optimizerImageFromRepository(): ecs.ContainerImage | undefined {
    if (existsSync(join(REPO_ROOT, OPTIMIZER_DIR, 'Dockerfile'))) {
      return ecs.ContainerImage.fromAsset(join(REPO_ROOT, OPTIMIZER_DIR));
    }
    Annotations.of(this).addWarningV2(
      'elexirion:no-optimizer',
      `${OPTIMIZER_DIR}/Dockerfile not found: the optimizer schedule is left out`,
    );
    return undefined;
  }
}

/** Whether a pipeline, or a child state machine of one, has a test step (an `ecs:runTask.sync` Task). */
function runsTests(pipelines: readonly CompiledPipeline[]): boolean {
  return pipelines.some((pipeline) =>
    [pipeline.asl, ...pipeline.children.map((child) => child.definition)].some((definition) =>
      listStates(definition).some(({ state }) => state.Resource === RUN_TASK_SYNC),
    ),
  );
}

/**
 * The longest `TimeoutSeconds` of any step-runner Task in the pipelines and their child state
 * machines (nested states included). A nested pipeline's `.sync` Task waits for a whole child
 * execution, not for the step runner, so its timeout does not count.
 */
function longestTaskTimeout(pipelines: readonly CompiledPipeline[]): Duration {
  const seconds = pipelines.flatMap((pipeline) =>
    [pipeline.asl, ...pipeline.children.map((child) => child.definition)].flatMap((definition) =>
      listStates(definition)
        .filter(({ state }) => state.Resource === Placeholder.StepRunner)
        .map(({ state }) => state.TimeoutSeconds)
        .filter((value): value is number => typeof value === 'number'),
    ),
  );
  return Duration.seconds(Math.max(0, ...seconds));
}
