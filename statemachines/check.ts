import validateAsl from 'asl-validator';
import {
  type AslObject,
  CHILD_STATE_MACHINE_PLACEHOLDER,
  Placeholder,
  TestRunnerPlaceholder,
} from '../pipelines/contract/spec-bundle.js';
import type { PipelineIssue } from '../pipelines/types.js';

/**
 * ARNs and ids of the right shape for the placeholders, so the validator's ARN checks stay on (and
 * the definition has the size it will have once deployed).
 */
const FAKE_ARNS: Record<string, string> = {
  [Placeholder.StepRunner]: 'arn:aws:lambda:us-east-1:123456789012:function:elexirion-step-runner',
  [TestRunnerPlaceholder.Cluster]: 'arn:aws:ecs:us-east-1:123456789012:cluster/elexirion-test-runner',
  [TestRunnerPlaceholder.TaskDefinition]:
    'arn:aws:ecs:us-east-1:123456789012:task-definition/elexirion-test-runner:1',
  [TestRunnerPlaceholder.Subnets[0]]: 'subnet-0123456789abcdef0',
  [TestRunnerPlaceholder.Subnets[1]]: 'subnet-0123456789abcdef1',
  [TestRunnerPlaceholder.SecurityGroup]: 'sg-0123456789abcdef0',
};

/** The definition with each placeholder replaced by a well-formed ARN. */
export function withFakeArns(definition: AslObject): AslObject {
  let text = JSON.stringify(definition);
  for (const [placeholder, arn] of Object.entries(FAKE_ARNS)) text = text.replaceAll(placeholder, arn);
  text = text.replaceAll(
    CHILD_STATE_MACHINE_PLACEHOLDER,
    'arn:aws:states:us-east-1:123456789012:stateMachine:elexirion-child',
  );
  return JSON.parse(text) as AslObject;
}

/**
 * Issues of definitions already checked, by their JSON: asl-validator builds its JSON Schema
 * validator anew on every call (a few hundred milliseconds), and a definition is checked by the
 * compiler and again by whoever deploys or runs it.
 */
const CHECKED = new Map<string, readonly PipelineIssue[]>();
const MAX_CHECKED = 64;

/**
 * Runs `asl-validator` (schema, paths, ARNs, transitions) over a compiled definition. A failure here
 * is a compiler bug, reported as `ASL_INVALID` so it is never deployed.
 */
export function checkAsl(definition: AslObject): PipelineIssue[] {
  const text = JSON.stringify(definition);
  const known = CHECKED.get(text);
  if (known !== undefined) return [...known];
  // The validator writes QueryLanguage into the states it is given, so it gets a copy.
  const result = validateAsl(withFakeArns(definition), { checkPaths: true, checkArn: true });
  const issues = result.errors.map(
    (error): PipelineIssue => ({
      code: 'ASL_INVALID',
      severity: 'error',
      message: `compiled state machine is invalid (${error['Error code']}): ${error.Message}`,
      hint: 'this is a bug in the Elexirion compiler; please report it with the pipeline file',
      path: [],
      range: [0, 0],
    }),
  );
  if (CHECKED.size >= MAX_CHECKED) CHECKED.delete(CHECKED.keys().next().value as string);
  CHECKED.set(text, issues);
  return [...issues];
}
