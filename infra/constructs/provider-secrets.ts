import { RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { KEY_CACHE_SECONDS, type KeyedProvider } from '../../functions/providers/provider-keys.js';
import { acknowledge } from '../nag.js';

/** Props of {@link ProviderSecrets}. */
export interface ProviderSecretsProps {
  /** The tenant the keys belong to; it is part of each secret's name. */
  readonly tenantId: string;
}

/** Every provider that needs a key, in the order the secrets are created. */
const KEYED_PROVIDERS: readonly KeyedProvider[] = ['anthropic', 'gemini'];

/**
 * The name of a tenant's key secret for one provider: `elexirion/<tenant>/<provider>`.
 *
 * @example
 * providerSecretName('acme', 'anthropic'); // 'elexirion/acme/anthropic'
 */
function providerSecretName(tenantId: string, provider: KeyedProvider): string {
  return `elexirion/${tenantId}/${provider}`;
}

/**
 * A tenant's provider API keys: one Secrets Manager secret per provider, read by the step runner at
 * run time (never copied into its environment). A new secret holds `{"apiKey": ""}` plus a random
 * placeholder field, i.e. no key: until someone stores one, `auto` mode answers that family's
 * steps with the mock. Store a key with
 * `aws secretsmanager put-secret-value --secret-id elexirion/<tenant>/<provider> --secret-string '{"apiKey":"…"}'`.
 *
 * @example
 * const secrets = new ProviderSecrets(this, 'ProviderKeys', { tenantId: 'acme' });
 * secrets.grantRead(stepRunner.function);
 */
export class ProviderSecrets extends Construct {
  /** The secrets, by provider. */
  readonly secrets: { readonly [P in KeyedProvider]: secretsmanager.Secret };

  constructor(scope: Construct, id: string, props: ProviderSecretsProps) {
    super(scope, id);
    const create = (provider: KeyedProvider) => {
      const secret = new secretsmanager.Secret(this, provider, {
        secretName: providerSecretName(props.tenantId, provider),
        description: `${provider} API key of Elexirion tenant ${props.tenantId}, as {"apiKey": "…"}`,
        // CloudFormation needs a value; this one says "no key yet" and is never sent to a provider.
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ apiKey: '' }),
          generateStringKey: 'placeholder',
          excludePunctuation: true,
        },
        removalPolicy: RemovalPolicy.DESTROY,
      });
      acknowledge(
        secret,
        'AwsSolutions-SMG4',
        `The secret holds the tenant’s ${provider} API key, which only the provider’s console can issue or revoke, so ` +
          'a rotation Lambda has nothing to call; rotate by storing the new key with put-secret-value — ' +
          `the step runner caches a key for ${KEY_CACHE_SECONDS} s and then reads the new version.`,
      );
      return secret;
    };
    this.secrets = Object.fromEntries(KEYED_PROVIDERS.map((provider) => [provider, create(provider)])) as {
      [P in KeyedProvider]: secretsmanager.Secret;
    };
  }

  /** Lets `grantee` read every provider key of the tenant (and nothing else in Secrets Manager). */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    const [first, ...rest] = KEYED_PROVIDERS.map((provider) => this.secrets[provider].grantRead(grantee));
    return rest.reduce((all, grant) => all.combine(grant), first as iam.Grant);
  }
}
