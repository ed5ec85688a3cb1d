import { describe, expect, it } from 'vitest';
import { authorizeToken, UNAUTHORIZED } from '../../../../functions/api/gateway-authorizer.js';

const METHOD_ARN = 'arn:aws:execute-api:us-east-1:111122223333:abc123/v1/POST/v1/pipelines/chain/runs';
const keys: Record<string, string> = { elx_acme: 'acme', elx_globex: 'globex' };
const authenticate = async (key: string) => keys[key];

describe('authorizeToken', () => {
  it("allows the tenant's own key on every method of the stage, passing the tenant on", async () => {
    // Act
    const result = await authorizeToken(
      { type: 'TOKEN', authorizationToken: 'Bearer elx_acme', methodArn: METHOD_ARN },
      { tenantId: 'acme', authenticate },
    );
    // Assess
    expect(result.principalId).toBe('acme');
    expect(result.context).toEqual({ tenantId: 'acme' });
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/v1/*',
      },
    ]);
  });

  it.each([
    ['another tenant’s key', 'Bearer elx_globex'],
    ['an unknown key', 'Bearer elx_nobody'],
    ['no Bearer scheme', 'elx_acme'],
    ['an empty header', ''],
    ['no header', undefined],
  ])('refuses %s with Unauthorized (a 401)', async (_, header) => {
    await expect(
      authorizeToken(
        { type: 'TOKEN', authorizationToken: header, methodArn: METHOD_ARN },
        { tenantId: 'acme', authenticate },
      ),
    ).rejects.toThrow(UNAUTHORIZED);
  });
});
