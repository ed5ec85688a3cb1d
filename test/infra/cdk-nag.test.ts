import { Validations } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTenantApp, SYNTH_TIMEOUT_MS, type TenantApp } from './support/tenant-app.js';

/**
 * The AwsSolutions acknowledgements recorded on constructs (`Validations.of(…).acknowledge` stores
 * `{"Annotation::<id>": reason}` metadata); CDK's own acknowledgements are left out.
 */
function acknowledgements(built: TenantApp): { path: string; id: string; reason: string }[] {
  return built.app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^Annotation::/, ''), reason }))
      .filter(({ id }) => id.startsWith('AwsSolutions-')),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  let built: TenantApp;

  beforeAll(async () => {
    // GIVEN both shipped tenants with every part wired, and the AwsSolutions pack as a validation plugin
    built = await buildTenantApp({ nag: true, complete: true });
  }, SYNTH_TIMEOUT_MS);

  it(
    'finds nothing unacknowledged: synth passes validation',
    () => {
      // WHEN the app synthesizes, THEN no AwsSolutions rule fails (a failure throws ValidationFailed)
      expect(() => built.app.synth()).not.toThrow();
    },
    SYNTH_TIMEOUT_MS,
  );

  it('acknowledges only findings this design explains, each with its own reason', () => {
    const found = acknowledgements(built);
    const ids = [...new Set(found.map(({ id }) => id.replace(/\[.*$/, '')))].sort();
    // THEN the acknowledged rules are exactly these (a new kind of finding must be fixed or argued here)
    expect(ids).toEqual([
      'AwsSolutions-APIG2',
      'AwsSolutions-APIG3',
      'AwsSolutions-APIG6',
      'AwsSolutions-COG4',
      'AwsSolutions-ECS2',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-S1',
      'AwsSolutions-SMG4',
      'AwsSolutions-SNS2',
      'AwsSolutions-SQS3',
    ]);
    for (const { path, id, reason } of found) {
      // AND every reason argues its case: long enough to say why, and naming this design's own parts
      expect(reason.length, `${path} ${id}`).toBeGreaterThan(80);
      expect(reason, `${path} ${id}`).toMatch(
        /tenant|step runner|spec|optimizer|bucket|X-Ray|API|CDK|provider/i,
      );
    }
    // AND an IAM5 wildcard is never acknowledged as a whole rule, only finding by finding
    expect(found.filter(({ id }) => id === 'AwsSolutions-IAM5')).toEqual([]);
  });
});
