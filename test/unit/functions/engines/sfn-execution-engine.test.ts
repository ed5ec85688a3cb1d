import { SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { SfnExecutionEngine } from '../../../../functions/engines/sfn-execution-engine.js';
import {
  FakeAwsError,
  type FakeAwsJsonServer,
  startFakeAwsJsonServer,
} from '../../../support/fake-aws-json-server.js';

const BASE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:';
const DEFINITION = { StartAt: 'A', States: { A: { Type: 'Task', Resource: '${StepRunnerArn}', End: true } } };
const deployment = {
  stateMachineArnBase: BASE,
  roleArn: 'arn:aws:iam::123456789012:role/machines',
  substitutions: { StepRunnerArn: 'arn:aws:lambda:eu-west-1:123456789012:function:step-runner' },
  logGroupArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:machines:*',
};

let fake: FakeAwsJsonServer | undefined;
afterEach(() => fake?.stop());

function engineOn(server: FakeAwsJsonServer, withDeployment = true): SfnExecutionEngine {
  const client = new SFNClient({
    endpoint: server.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return new SfnExecutionEngine({ client, ...(withDeployment ? { deployment } : {}) });
}

describe('SfnExecutionEngine', () => {
  it('creates a Standard machine with the placeholders filled, tracing and logging on', async () => {
    // Prepare
    fake = await startFakeAwsJsonServer({
      CreateStateMachine: (input) => ({ stateMachineArn: `${BASE}${input.name}`, creationDate: 0 }),
    });

    // Act
    const arn = await engineOn(fake).deployStateMachine('elexirion-acme_api_chain', DEFINITION);

    // Assess
    expect(arn).toBe(`${BASE}elexirion-acme_api_chain`);
    const [call] = fake.calls;
    expect(call?.operation).toBe('CreateStateMachine');
    expect(call?.input).toMatchObject({
      name: 'elexirion-acme_api_chain',
      type: 'STANDARD',
      roleArn: deployment.roleArn,
      tracingConfiguration: { enabled: true },
      loggingConfiguration: { level: 'ALL', includeExecutionData: true },
    });
    expect(JSON.parse(String(call?.input.definition))).toEqual({
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: deployment.substitutions.StepRunnerArn, End: true } },
    });
  });

  it('updates the machine of that name when the caller names it as the one it replaces', async () => {
    // Prepare
    fake = await startFakeAwsJsonServer({
      CreateStateMachine: () => {
        throw new FakeAwsError('StateMachineAlreadyExists', 'exists');
      },
      UpdateStateMachine: () => ({ updateDate: 0 }),
    });

    // Act
    const arn = await engineOn(fake).deployStateMachine('m', DEFINITION, `${BASE}m`);

    // Assess
    expect(arn).toBe(`${BASE}m`);
    expect(fake.calls.map((call) => call.operation)).toEqual(['CreateStateMachine', 'UpdateStateMachine']);
    expect(fake.calls[1]?.input).toMatchObject({ stateMachineArn: `${BASE}m`, roleArn: deployment.roleArn });
  });

  it.each([
    ['no machine', undefined],
    ['another machine', `${BASE}other`],
  ])(
    'never updates a machine of that name when the caller names %s as the one it replaces',
    async (_, replaces) => {
      // Prepare
      fake = await startFakeAwsJsonServer({
        CreateStateMachine: () => {
          throw new FakeAwsError('StateMachineAlreadyExists', 'exists');
        },
        UpdateStateMachine: () => ({ updateDate: 0 }),
      });

      // Act
      const deploying = engineOn(fake).deployStateMachine('m', DEFINITION, replaces);

      // Assess
      await expect(deploying).rejects.toMatchObject({ name: 'StateMachineAlreadyExists' });
      expect(fake.calls.map((call) => call.operation)).toEqual(['CreateStateMachine']);
    },
  );

  it('starts, describes, stops and redrives executions by name and ARN', async () => {
    // Prepare
    const executionArn = 'arn:aws:states:eu-west-1:123456789012:execution:m:run-1';
    fake = await startFakeAwsJsonServer({
      StartExecution: () => ({ executionArn, startDate: 0 }),
      DescribeExecution: () => ({
        executionArn,
        stateMachineArn: `${BASE}m`,
        name: 'run-1',
        status: 'FAILED',
        input: '{"run":{"runId":"run-1"}}',
        error: 'Provider.AuthFailed',
        cause: 'bad key',
        redriveCount: 2,
        startDate: 0,
      }),
      StopExecution: () => ({ stopDate: 0 }),
      RedriveExecution: () => ({ redriveDate: 0 }),
    });
    const engine = engineOn(fake, false);

    // Act
    const started = await engine.startExecution(`${BASE}m`, 'run-1', { run: { runId: 'run-1' } });
    const described = await engine.describeExecution(executionArn);
    await engine.stopExecution(executionArn, { error: 'Run.Cancelled', cause: 'by the API' });
    await engine.redriveExecution(executionArn);

    // Assess
    expect(started).toBe(executionArn);
    expect(described).toEqual({
      executionArn,
      stateMachineArn: `${BASE}m`,
      name: 'run-1',
      status: 'FAILED',
      input: { run: { runId: 'run-1' } },
      redriveCount: 2,
      error: 'Provider.AuthFailed',
      cause: 'bad key',
    });
    expect(fake.calls.map((call) => [call.operation, call.input])).toEqual([
      ['StartExecution', { stateMachineArn: `${BASE}m`, name: 'run-1', input: '{"run":{"runId":"run-1"}}' }],
      ['DescribeExecution', { executionArn }],
      ['StopExecution', { executionArn, error: 'Run.Cancelled', cause: 'by the API' }],
      // The SDK fills in RedriveExecution's idempotency token.
      ['RedriveExecution', { executionArn, clientToken: expect.any(String) }],
    ]);
  });

  it("keeps Step Functions' error names, and refuses to deploy without a deployment", async () => {
    // Prepare
    fake = await startFakeAwsJsonServer({
      RedriveExecution: () => {
        throw new FakeAwsError('ExecutionNotRedrivable', 'too old');
      },
    });
    const engine = engineOn(fake, false);

    // Act
    const redriving = engine.redriveExecution('arn:aws:states:eu-west-1:123456789012:execution:m:r');

    // Assess
    await expect(redriving).rejects.toMatchObject({ name: 'ExecutionNotRedrivable', message: 'too old' });
    await expect(engine.deployStateMachine('m', DEFINITION)).rejects.toThrow(/without a deployment/);
  });
});
