import { type CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { artifactKeys } from '../../functions/shared/artifact-keys.js';
import type { CompiledPipeline } from '../compiled-pipelines.js';
import { acknowledge, nagArnOf } from '../nag.js';
import type { ArtifactBucket } from './artifact-bucket.js';

/** Props of {@link SpecBundles}. */
export interface SpecBundlesProps {
  /** The tenant whose bucket receives the bundles. */
  readonly tenantId: string;
  /** The bucket; bundles go to `tenants/<tenant>/specs/<pipeline>/<hash>.json`. */
  readonly artifacts: ArtifactBucket;
  /** The deployed pipelines. */
  readonly pipelines: readonly CompiledPipeline[];
}

/**
 * Puts the spec bundle of every deployed pipeline into the tenant's bucket at deploy time, at the
 * content-addressed key the run starters and the step runner read (`artifactKeys.specBundle`). One
 * PutObject per pipeline through a custom resource whose role may write only under
 * `tenants/<tenant>/specs/`; bundles are never deleted, since old runs still read theirs.
 *
 * @example
 * const specs = new SpecBundles(this, 'SpecBundles', { tenantId: 'acme', artifacts, pipelines });
 * specs.keyOf('chain'); // 'tenants/acme/specs/chain/<hash>.json'
 */
export class SpecBundles extends Construct {
  private readonly keys: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: SpecBundlesProps) {
    super(scope, id);
    const { bucket } = props.artifacts;
    const specsPrefix = `${props.artifacts.tenantPrefix}specs/`;
    const policy = cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`${specsPrefix}*`)],
      }),
    ]);
    this.keys = new Map(
      props.pipelines.map(({ bundle }) => [
        bundle.pipeline,
        artifactKeys.specBundle(props.tenantId, bundle.pipeline, bundle.hash),
      ]),
    );
    for (const { bundle } of props.pipelines) {
      const key = this.keyOf(bundle.pipeline);
      const put: cr.AwsSdkCall = {
        service: 's3',
        action: 'PutObject',
        parameters: {
          Bucket: bucket.bucketName,
          Key: key,
          Body: JSON.stringify(bundle),
          ContentType: 'application/json',
        },
        physicalResourceId: cr.PhysicalResourceId.of(key),
      };
      new cr.AwsCustomResource(this, bundle.pipeline, {
        onCreate: put,
        onUpdate: put,
        policy,
        installLatestAwsSdk: false,
      });
    }
    acknowledge(
      this,
      `AwsSolutions-IAM5[Resource::${nagArnOf(bucket.node.defaultChild as CfnElement)}/${specsPrefix}*]`,
      `Bundle keys carry the pipeline name and content hash; the uploads may write only under ${specsPrefix}.`,
    );
    this.acknowledgeProvider(specsPrefix);
  }

  /** The S3 key of a deployed pipeline's spec bundle. */
  keyOf(pipeline: string): string {
    const key = this.keys.get(pipeline);
    if (key === undefined) throw new Error(`${this.node.path}: pipeline "${pipeline}" is not deployed`);
    return key;
  }

  /** The custom resources share one stack-wide provider function, which CDK builds with managed logging. */
  private acknowledgeProvider(specsPrefix: string): void {
    const id = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
    const provider = Stack.of(this).node.tryFindChild(id);
    if (provider === undefined)
      throw new Error(`${this.node.path}: CDK's provider function ${id} was not found`);
    acknowledge(
      provider,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'CDK’s deploy-time provider for the spec-bundle uploads; the managed policy only lets it write its own ' +
        `logs, and its one other permission is s3:PutObject under ${specsPrefix}.`,
    );
  }
}
