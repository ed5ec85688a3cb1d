import { isSecretEnvName } from '../../pipelines/steps/test-step.js';

/** What the test process may take from the environment it is started from: where programs are, and the locale. */
const INHERITED = ['PATH', 'LANG', 'LC_ALL', 'TZ'] as const;

/** Where programs are when the parent names no PATH. */
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/**
 * The whole environment of a test process: a few variables of the parent's (never all of them:
 * the step runner and the test-runner container hold AWS credentials and provider keys, and the
 * code under test is the tenant's), `HOME` in the test's own directory, the settings that make
 * runners print plainly for a log (`CI`, `NO_COLOR`), then the step's own variables. A name the
 * loader refuses (`AWS_*`, a provider key) is dropped here too, whatever reached the spec.
 *
 * @example
 * testEnvironment(process.env, '/tmp/elexirion-test-x', { NODE_OPTIONS: '--max-old-space-size=2048' });
 * // { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: '/tmp/elexirion-test-x', CI: 'true', NO_COLOR: '1', NODE_OPTIONS: … }
 */
export function testEnvironment(
  parent: Readonly<Record<string, string | undefined>>,
  home: string,
  stepEnv: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = { PATH: DEFAULT_PATH, LANG: 'C.UTF-8' };
  for (const name of INHERITED) {
    const value = parent[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  Object.assign(env, { HOME: home, CI: 'true', NO_COLOR: '1' });
  for (const [name, value] of Object.entries(stepEnv)) if (!isSecretEnvName(name)) env[name] = value;
  return env;
}
