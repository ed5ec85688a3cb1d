import { describe, expect, it } from 'vitest';
import { executeStateMachine } from '../../../../local/executor.js';
import { Placeholder, RUN_TASK_SYNC, type TestStepSpec } from '../../../../pipelines/contract/spec-bundle.js';
import { checkAsl } from '../../../../statemachines/check.js';
import { compilePipeline } from '../../../../statemachines/compile.js';
import { RUN_TASK_RETRIER } from '../../../../statemachines/policies.js';
import { pipelineOf, statesOf } from '../pipeline-fixture.js';

const VERIFY = pipelineOf({
  steps: [
    { name: 'verify', type: 'test', command: 'npm test', env: { CI: 'true' } },
    { name: 'after', type: 'test_echo', value: 'done' },
  ],
});

describe('type: test', () => {
  it('compiles to an ecs:runTask.sync Task, then the step runner’s result Task, with the defaults in its spec', () => {
    // Act
    const { asl, bundle, issues } = compilePipeline(VERIFY);

    // Assess: the runTask Task carries only the run's identity and the step id to the container
    expect(issues).toEqual([]);
    const states = statesOf(asl);
    expect(states.verify).toEqual({
      Type: 'Task',
      Resource: 'arn:aws:states:::ecs:runTask.sync',
      Parameters: {
        LaunchType: 'FARGATE',
        Cluster: '${TestRunnerCluster}',
        TaskDefinition: '${TestRunnerTaskDefinition}',
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            Subnets: ['${TestRunnerSubnet1}', '${TestRunnerSubnet2}'],
            SecurityGroups: ['${TestRunnerSecurityGroup}'],
            AssignPublicIp: 'DISABLED',
          },
        },
        Overrides: {
          ContainerOverrides: [
            {
              Name: 'test-runner',
              Environment: [
                { Name: 'ELEXIRION_TEST_RUN', 'Value.$': 'States.JsonToString($.run)' },
                { Name: 'ELEXIRION_TEST_STEP', Value: 'verify' },
              ],
            },
          ],
        },
      },
      ResultSelector: { 'taskArn.$': '$.TaskArn' },
      ResultPath: '$.steps.verify',
      // The command's 600 s, and the task's own start and finish around it.
      TimeoutSeconds: 1200,
      Retry: [RUN_TASK_RETRIER],
      Next: 'verify._result',
    });
    // Assess: the result Task is a data step's step-runner Task, whose reference replaces the ARN
    expect(states['verify._result']).toMatchObject({
      Type: 'Task',
      Resource: Placeholder.StepRunner,
      Parameters: { stepId: 'verify', 'steps.$': '$.steps' },
      ResultPath: '$.steps.verify',
      Next: 'after',
    });
    expect(bundle?.steps.verify).toEqual({
      kind: 'test',
      command: 'npm test',
      env: { CI: 'true' },
      timeoutSeconds: 600,
      required: false,
      hash: expect.any(String),
    } satisfies TestStepSpec & { hash: unknown });
    expect(checkAsl(asl ?? {})).toEqual([]);
  });

  it('counts the runTask Task’s submitted event and its retries in the history estimate', () => {
    // Act
    const { limits } = compilePipeline(
      pipelineOf({ steps: [{ name: 'verify', type: 'test', command: 'make test' }] }),
    );

    // Assess: the execution's 2 events, _Initialize's 2, the .sync Task's 6, the result Task's 5,
    // then every retry spent once (3 events each): the runTask Task's 3, the step runner's 3 + 5 + 3
    expect(limits?.[0]?.historyEvents).toBe(2 + 2 + 6 + 5 + 3 * 3 + 3 * (3 + 5 + 3));
  });

  it('runs in the local executor: the container gets the run as JSON, the result Task the task’s ARN', async () => {
    // Prepare
    const { asl } = compilePipeline(VERIFY);
    const run = { tenantId: 'acme', runId: 'r-1', pipeline: 'test_pipeline', bundleKey: 'specs/b.json' };
    const seen: { runTask?: unknown; result?: unknown } = {};

    // Act
    const outcome = await executeStateMachine(
      asl ?? {},
      { run, inputs: {} },
      {
        executionName: 'r-1',
        taskHandlers: {
          [RUN_TASK_SYNC]: async (parameters) => {
            seen.runTask = parameters;
            return { TaskArn: 'arn:aws:ecs:us-east-1:000000000000:task/local/abc123', LastStatus: 'STOPPED' };
          },
          [Placeholder.StepRunner]: async (event) => {
            seen.result ??= event;
            return { stepId: 'verify', status: 'SUCCEEDED' };
          },
        },
      },
    );

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    const environment = (seen.runTask as { Overrides: { ContainerOverrides: { Environment: unknown[] }[] } })
      .Overrides.ContainerOverrides[0]?.Environment;
    expect(environment).toEqual([
      { Name: 'ELEXIRION_TEST_RUN', Value: JSON.stringify(run) },
      { Name: 'ELEXIRION_TEST_STEP', Value: 'verify' },
    ]);
    expect(seen.result).toMatchObject({
      stepId: 'verify',
      steps: { verify: { taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/local/abc123' } },
    });
  });

  /** A loop body's test step (a nested list types its steps loosely, so it is named apart). */
  const LOOPED = { name: 'verify', type: 'test', command: 'npm test', timeout_seconds: 60, required: true };

  it('sizes the runTask Task’s timeout by timeout_seconds, and passes the loop context to the result Task in a loop', () => {
    // Prepare
    const pipeline = pipelineOf({
      inputs: { pkgs: { type: 'array', default: ['a', 'b'] } },
      steps: [
        {
          name: 'each',
          type: 'for_loop',
          iterator: 'pkg',
          data_source: '{{inputs.pkgs}}',
          steps: [LOOPED],
        },
      ],
    });

    // Act
    const { asl, bundle, issues } = compilePipeline(pipeline);

    // Assess
    expect(issues).toEqual([]);
    const processor = JSON.stringify(asl);
    expect(processor).toContain('"TimeoutSeconds":660');
    expect(processor).toMatch(
      /"verify\._result":\{"Type":"Task","Resource":"\$\{StepRunnerArn\}","Parameters":\{[^}]*"loop\.\$":"\$\.loop"/,
    );
    expect(bundle?.steps.verify).toMatchObject({ timeoutSeconds: 60, required: true });
    expect(checkAsl(asl ?? {})).toEqual([]);
  });
});
