import { type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, nagArnOf } from '../nag.js';

/** Props of {@link ArtifactBucket}. */
export interface ArtifactBucketProps {
  /** The tenant whose artifacts the bucket holds; every grant is fenced to its key prefix. */
  readonly tenantId: string;
  /**
   * How objects are encrypted at rest.
   * @default - S3-managed keys (SSE-S3): no KMS request charges on every artifact read and write
   */
  readonly encryption?: s3.BucketEncryption.S3_MANAGED | s3.BucketEncryption.KMS;
  /**
   * How long an object replaced or deleted stays recoverable as a noncurrent version.
   * @default Duration.days(30)
   */
  readonly noncurrentVersionExpiration?: Duration;
  /**
   * How long a run request dropped in the inbox is kept after it started its run.
   * @default Duration.days(30)
   */
  readonly inboxExpiration?: Duration;
}

/**
 * A tenant's artifact bucket: step artifacts, spec bundles and the inbox that starts runs, all under
 * `tenants/<tenantId>/`. Encrypted, versioned, private, TLS-only, and sending its object events to
 * EventBridge, where the inbox rule picks them up.
 *
 * @example
 * const bucket = new ArtifactBucket(this, 'Artifacts', { tenantId: 'acme' });
 * bucket.grantTenantReadWrite(stepRunner.function);
 */
export class ArtifactBucket extends Construct {
  /** The bucket. */
  readonly bucket: s3.Bucket;
  /** `tenants/<tenantId>/`: the prefix of every key the tenant owns (as `artifact-keys.ts` spells them). */
  readonly tenantPrefix: string;
  /** `tenants/<tenantId>/inbox/`: an object created here starts a run. */
  readonly inboxPrefix: string;

  constructor(scope: Construct, id: string, props: ArtifactBucketProps) {
    super(scope, id);
    this.tenantPrefix = tenantPrefix(props.tenantId);
    this.inboxPrefix = `${this.tenantPrefix}inbox/`;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: props.encryption ?? s3.BucketEncryption.S3_MANAGED,
      bucketKeyEnabled: props.encryption === s3.BucketEncryption.KMS,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      eventBridgeEnabled: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(30),
        },
        {
          id: 'expire-inbox',
          prefix: this.inboxPrefix,
          expiration: props.inboxExpiration ?? Duration.days(30),
        },
      ],
    });
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      'Only this stack’s own roles can reach the bucket, each confined to tenants/<tenant>/, and every ' +
        'artifact write is recorded with its run, step and attempt in the attempts table; server access ' +
        'logs would need a second bucket per tenant for no additional audit trail (CloudTrail S3 data ' +
        'events are the account-level option).',
    );
    this.acknowledgeNotificationsHandler();
  }

  /**
   * `eventBridgeEnabled` makes CDK add a stack-wide Lambda (BucketNotificationsHandler…) that turns
   * the notification on at deploy time; its role carries AWSLambdaBasicExecutionRole.
   */
  private acknowledgeNotificationsHandler(): void {
    const handler = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (handler === undefined) return;
    acknowledge(
      handler,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'CDK’s own deploy-time handler that switches on the bucket’s EventBridge notifications; the managed ' +
        'policy only lets it write its own logs, and its single other permission is s3:PutBucketNotification ' +
        'on this bucket.',
    );
  }

  /**
   * Lets `grantee` read and write the tenant's objects, and list under its prefix (so a missing key
   * is a 404, not a 403); nothing outside `tenants/<tenantId>/`. The tenant fence is written here once.
   */
  grantTenantReadWrite(grantee: iam.IGrantable): iam.Grant {
    const objects = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:PutObject'],
      resourceArns: [this.bucket.arnForObjects(`${this.tenantPrefix}*`)],
    });
    const listing = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${this.tenantPrefix}*`] } },
    });
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal)) {
      acknowledge(
        principal,
        `AwsSolutions-IAM5[Resource::${nagArnOf(this.bucket.node.defaultChild as CfnElement)}/${this.tenantPrefix}*]`,
        `Object keys are run and step ids made at run time; the wildcard is confined to this tenant’s prefix ` +
          `${this.tenantPrefix} in this tenant’s own bucket.`,
      );
    }
    return objects.combine(listing);
  }
}

/**
 * `tenants/<tenantId>/`: the prefix `functions/shared/artifact-keys.ts` starts every key with (a test
 * holds the two together).
 */
function tenantPrefix(tenantId: string): string {
  return `tenants/${tenantId}/`;
}
