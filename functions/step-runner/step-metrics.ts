/**
 * The CloudWatch metrics the step runner emits (EMF, through Powertools Metrics), named once for the
 * handler that writes them and the dashboard and alarms that read them.
 */
export const STEP_METRICS = {
  namespace: 'Elexirion',
  /** The Powertools service name of the step runner: the `service` dimension of its metrics. */
  service: 'elexirion-step-runner',
  /** The dimension holding the tenant id, since tenants may share an account and a namespace. */
  tenantDimension: 'tenant',
  names: {
    inputTokens: 'InputTokens',
    outputTokens: 'OutputTokens',
    /** Milliseconds spent in the provider call of a successful attempt. */
    providerLatency: 'ProviderLatency',
    /** USD of a successful attempt, from the price table. */
    costUsd: 'CostUsd',
    /** 1 for a step answered by a fallback, 0 otherwise. */
    degradedSteps: 'DegradedSteps',
  },
} as const;
