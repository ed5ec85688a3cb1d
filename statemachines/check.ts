import validateAsl from 'asl-validator';
import type { PipelineIssue } from '../pipelines/types.js';
import { type AslObject, Placeholder } from './types.js';

/** ARNs of the right shape for the placeholders, so the validator's ARN checks stay on. */
const FAKE_ARNS: Record<string, string> = {
  [Placeholder.StepRunner]: 'arn:aws:lambda:us-east-1:123456789012:function:elexirion-step-runner',
};

/** The definition with each placeholder replaced by a well-formed ARN. */
export function withFakeArns(definition: AslObject): AslObject {
  let text = JSON.stringify(definition);
  for (const [placeholder, arn] of Object.entries(FAKE_ARNS)) text = text.replaceAll(placeholder, arn);
  return JSON.parse(text) as AslObject;
}

/**
 * Runs `asl-validator` (schema, paths, ARNs, transitions) over a compiled definition. A failure here
 * is a compiler bug, reported as `ASL_INVALID` so it is never deployed.
 */
export function checkAsl(definition: AslObject): PipelineIssue[] {
  // The validator writes QueryLanguage into the states it is given, so it gets a copy.
  const result = validateAsl(withFakeArns(definition), { checkPaths: true, checkArn: true });
  return result.errors.map((error) => ({
    code: 'ASL_INVALID',
    severity: 'error',
    message: `compiled state machine is invalid (${error['Error code']}): ${error.Message}`,
    hint: 'this is a bug in the Elexirion compiler; please report it with the pipeline file',
    path: [],
    range: [0, 0],
  }));
}
