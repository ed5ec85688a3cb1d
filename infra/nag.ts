import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * How cdk-nag writes a resource attribute inside a finding id: `<LogicalId.Arn>`, so an
 * acknowledgement can name the one resource it is about rather than a whole rule.
 *
 * @example
 * nagArnOf(bucket.node.defaultChild as CfnElement); // '<ArtifactsBucket88671897.Arn>'
 */
export function nagArnOf(element: CfnElement): string {
  return `<${Stack.of(element).getLogicalId(element)}.Arn>`;
}

/**
 * Acknowledges one AwsSolutions finding on `scope` (and what it contains), with the reason this
 * design needs it. One finding per call, as cdk-nag 3 requires.
 *
 * @example
 * acknowledge(role, 'AwsSolutions-IAM5[Resource::*]', 'X-Ray has no resource-level permissions.');
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** The reason every traced role may name `*` for X-Ray: the service offers nothing narrower. */
export const XRAY_WILDCARD_REASON =
  'X-Ray trace and sampling actions (xray:PutTraceSegments, PutTelemetryRecords, GetSampling*) support no ' +
  'resource-level permissions, so `*` is the only resource IAM accepts for them.';
