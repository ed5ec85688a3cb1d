/** What API Gateway sends a TOKEN authorizer: the `Authorization` header and the method called. */
export interface TokenAuthorizerEvent {
  readonly type: 'TOKEN';
  readonly authorizationToken?: string;
  /** `arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/PATH`. */
  readonly methodArn: string;
}

/** An IAM policy for the caller, plus the context API Gateway hands the integration. */
export interface AuthorizerResult {
  readonly principalId: string;
  readonly policyDocument: {
    readonly Version: '2012-10-17';
    readonly Statement: readonly [
      { readonly Action: 'execute-api:Invoke'; readonly Effect: 'Allow'; readonly Resource: string },
    ];
  };
  readonly context: { readonly tenantId: string };
}

/** The message API Gateway turns into a 401 reply when an authorizer throws it. */
export const UNAUTHORIZED = 'Unauthorized';

/**
 * Decides a TOKEN authorizer request: the header must be `Bearer <key>`, the key must authenticate,
 * and it must belong to the tenant this API serves. Allowed callers get every method of the stage
 * (API Gateway caches the decision per key, so one policy must fit every route); anything else
 * throws {@link UNAUTHORIZED}.
 *
 * @example
 * await authorizeToken(event, { tenantId: 'acme', authenticate: createKeyAuthenticator(store) });
 */
export async function authorizeToken(
  event: TokenAuthorizerEvent,
  options: { readonly tenantId: string; readonly authenticate: (key: string) => Promise<string | undefined> },
): Promise<AuthorizerResult> {
  const match = /^Bearer\s+(\S+)$/i.exec(event.authorizationToken ?? '');
  const tenantId = match?.[1] === undefined ? undefined : await options.authenticate(match[1]);
  if (tenantId !== options.tenantId) throw new Error(UNAUTHORIZED);
  return {
    principalId: tenantId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageArnOf(event.methodArn) }],
    },
    context: { tenantId },
  };
}

/** `…/API_ID/STAGE/METHOD/PATH` → `…/API_ID/STAGE/*`: every method and path of the stage. */
function stageArnOf(methodArn: string): string {
  const [api, stage] = methodArn.split('/');
  return `${api}/${stage}/*`;
}
