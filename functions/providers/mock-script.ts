/**
 * Mock scripts: what the `mock` provider answers, by step. A script maps a step (a key: `plan`,
 * `summary.draft`, or one iteration of the loops around it, `review[1]`) to a list of responses: a
 * string is a text answer, any other JSON value is structured output (its JSON text),
 * `{"$error": NAME}` injects a fault, and `{"$tool_calls": [{name, input}, …]}` is a model turn of
 * an agent step asking for those tool calls.
 *
 * Which response a call gets: the step's model calls are numbered 1, 2, … and call n gets the n-th
 * response (the last repeats once the list is used up). A call's number is its attempt: the step
 * runner numbers every model call of a step (a retry after a fault, a repair after an invalid answer,
 * each agent turn) as a new attempt, so every call consumes one response. So `[{$error: rate_limit},
 * {$tool_calls: …}, done]` throttles turn 1 once, then turn 1 asks for the tool calls and turn 2
 * answers `done`; a
 * string or JSON value ends an agent's loop, and a list ending in `$tool_calls` keeps calling tools
 * until the step's `max_turns`. Inside a loop body, attempts (and so calls) count within the
 * iteration, and the iteration's own key answers before the step's.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ErrorName } from '../../pipelines/contract/errors.js';
import type { SpecBundle } from '../../pipelines/contract/spec-bundle.js';
import type { Iteration } from '../../pipelines/contract/step-event.js';
import { didYouMean } from '../../pipelines/suggest.js';
import { type FieldPath, YamlLocator } from '../../pipelines/yaml-ranges.js';
import { iterationSuffix } from '../shared/iteration.js';

/** The faults a mock script can inject, by the name written after `$error`, and the error each raises. */
export const MOCK_ERRORS = {
  rate_limit: ErrorName.ProviderRateLimited,
  overloaded: ErrorName.ProviderOverloaded,
  server_error: ErrorName.ProviderServerError,
  timeout: ErrorName.ProviderTimeout,
  invalid_response: ErrorName.ProviderInvalidResponse,
  auth: ErrorName.ProviderAuthFailed,
  invalid_request: ErrorName.ProviderInvalidRequest,
} as const satisfies Record<string, ErrorName>;

/** A fault name a mock script may write, e.g. `{"$error": "rate_limit"}`. */
export type MockErrorName = keyof typeof MOCK_ERRORS;

/** A tool call a script asks for; the mock provider gives it its id. */
export interface MockToolCall {
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** One scripted answer: text (structured output is its JSON text), an injected fault, or tool calls. */
export type MockResponse =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'error'; readonly error: MockErrorName }
  | { readonly kind: 'tool_calls'; readonly calls: readonly MockToolCall[] };

/**
 * A loaded mock script: for each step, the answers of model calls 1, 2, … (the last repeats). A key is
 * a step id (`plan`, `summary.draft` in a nested pipeline), or a step id and an iteration of the
 * loops around it (`review[1]`, `greet[1][0]`), which answers that iteration only.
 */
export interface MockScript {
  /** The file it was loaded from, for messages. */
  readonly path: string;
  readonly steps: ReadonlyMap<string, readonly MockResponse[]>;
}

/** A script key: a step name, then optionally one `[index]` per enclosing loop. */
const SCRIPT_KEY = /^(.+?)((?:\[\d+\])*)$/;

/** One problem in a mock script, at a 1-based line and column. */
export interface MockScriptIssue {
  readonly line: number;
  readonly col: number;
  /** Where in the script, e.g. `plan[1].$error`; empty for the whole file or a syntax error. */
  readonly field: string;
  readonly message: string;
}

/** A mock script that cannot be read or is invalid; the message lists every problem as `FILE:LINE:COL`. */
export class MockScriptError extends Error {
  override readonly name = 'MockScriptError';

  constructor(
    message: string,
    readonly issues: readonly MockScriptIssue[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const ERROR_NAMES = Object.keys(MOCK_ERRORS) as [MockErrorName, ...MockErrorName[]];

const ErrorResponseSchema = z.strictObject(
  {
    $error: z.enum(ERROR_NAMES, {
      error: (issue) =>
        `unknown error ${JSON.stringify(issue.input)}; write one of ${ERROR_NAMES.join(', ')}`,
    }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? 'an error response holds only "$error"; remove this key'
        : undefined,
  },
);

const ToolCallSchema = z.strictObject(
  {
    name: z.string({ error: 'a tool call needs a "name", the tool to call, e.g. "Read"' }).min(1, {
      error: 'the tool name is empty; write the tool to call, e.g. "Read"',
    }),
    input: z.record(z.string(), z.unknown(), {
      error: (issue) =>
        `a tool call's "input" is a mapping of the tool's arguments, got ${describeValue(issue.input)}; write e.g. {file_path: src/a.ts}`,
    }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? 'a tool call holds only "name" and "input" (the mock gives it its id); remove this key'
        : `expected a tool call, got ${describeValue(issue.input)}; write e.g. {name: Read, input: {file_path: src/a.ts}}`,
  },
);

const ToolCallsResponseSchema = z.strictObject(
  {
    $tool_calls: z
      .array(ToolCallSchema, {
        error: (issue) =>
          `expected a list of tool calls, got ${describeValue(issue.input)}; write e.g. [{name: Read, input: {file_path: src/a.ts}}]`,
      })
      .min(1, {
        error: 'the list of tool calls is empty; write at least one, or a text answer to end the loop',
      }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? 'a tool-calls response holds only "$tool_calls"; remove this key'
        : undefined,
  },
);

/** The schema of a `$`-keyed response, if `value` is one; other values are answers as they are. */
function specialResponseSchema(value: unknown): z.ZodType | undefined {
  if (isErrorResponse(value)) return ErrorResponseSchema;
  return isToolCallsResponse(value) ? ToolCallsResponseSchema : undefined;
}

const ResponseSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    for (const issue of specialResponseSchema(value)?.safeParse(value).error?.issues ?? []) {
      if (issue.code === 'unrecognized_keys') {
        // Point at each unknown key rather than at the whole response.
        for (const key of issue.keys) {
          ctx.addIssue({
            code: 'custom',
            message: issue.message,
            path: [...issue.path, key],
            params: { at: 'key' },
          });
        }
      } else {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }
    }
  })
  .transform((value): MockResponse => {
    if (isErrorResponse(value)) return { kind: 'error', error: value.$error as MockErrorName };
    if (isToolCallsResponse(value)) {
      return { kind: 'tool_calls', calls: value.$tool_calls as readonly MockToolCall[] };
    }
    return { kind: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) };
  });

const MockScriptSchema = z.record(
  z.string(),
  z
    .array(ResponseSchema, {
      error: (issue) =>
        `expected a list of responses, got ${describeValue(issue.input)}; write a list even for one answer, e.g. ["the answer"]`,
    })
    .min(1, {
      error: 'the list of responses is empty; write at least one, e.g. ["the answer"], or remove the step',
    }),
  {
    error: (issue) =>
      `expected a mapping of step names to lists of responses, got ${describeValue(issue.input)}; write e.g. plan: ["the answer"]`,
  },
);

/**
 * Reads a mock script (YAML or JSON) and checks it. Each top-level key is a step name, and its value
 * is the list of responses of its model calls 1, 2, … (see the module comment): a string is the
 * text, any other JSON value is structured output, `{"$error": NAME}` injects a fault
 * ({@link MOCK_ERRORS}), `{"$tool_calls": [{name, input}, …]}` asks for tool calls. Throws a
 * {@link MockScriptError} naming `FILE:LINE:COL`, the field, and what to write instead for every
 * problem found.
 *
 * Given the compiled `bundle` of the pipeline it scripts, every key must name a step of it that
 * calls a model (see {@link resolveScriptKeys}): a key that matches none would change nothing, and
 * the run would pass on the mock's default answers.
 *
 * @example
 * // plan: ["first draft", {"$error": "rate_limit"}, {"steps": ["a", "b"]}]
 * const script = await loadMockScript('test/fixtures/pipelines/refactor.mock.yaml', bundle);
 */
export async function loadMockScript(
  path: string,
  bundle?: Pick<SpecBundle, 'pipeline' | 'steps'>,
): Promise<MockScript> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = describeReadError(error);
    throw new MockScriptError(`${path}: cannot read the mock script (${reason}); check the path`, [], {
      cause: error,
    });
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const position = (offset: number) => lineCounter.linePos(offset);
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error) => ({
      ...position(error.pos[0]),
      field: '',
      message: error.message,
    }));
    throw invalidScript(path, issues);
  }

  const parsed = MockScriptSchema.safeParse(doc.toJS());
  const locate = new YamlLocator(doc, text);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const field = issue.path.filter((key) => typeof key !== 'symbol');
      const atKey = issue.code === 'custom' && issue.params?.at === 'key';
      const [offset] = atKey ? locate.key(field) : locate.value(field);
      return { ...position(offset), field: formatField(field), message: issue.message };
    });
    throw invalidScript(path, issues);
  }
  if (bundle === undefined) return { path, steps: new Map(Object.entries(parsed.data)) };
  const resolved = resolveScriptKeys(Object.keys(parsed.data), bundle);
  const issues = resolved.flatMap(({ key, problem }) =>
    problem === undefined ? [] : [{ ...position(locate.key([key])[0]), field: key, message: problem }],
  );
  if (issues.length > 0) throw invalidScript(path, issues);
  const steps = new Map(resolved.map(({ key, stepKey }) => [stepKey ?? key, parsed.data[key] ?? []]));
  return { path, steps };
}

/**
 * The step each script key answers, by the steps of `bundle` that call a model: a key naming one
 * (`plan`, `summary.draft`, a batch task `reviews.api`), optionally with an iteration (`review[1]`),
 * answers it; a step name without its nested pipeline's scope (`draft`) answers the one nested step
 * of that name. Any other key is a problem that names the closest step and the ones there are, as is
 * a key scripting a step another key scripts already.
 */
export function resolveScriptKeys(
  keys: readonly string[],
  bundle: Pick<SpecBundle, 'pipeline' | 'steps'>,
): { readonly key: string; readonly stepKey?: string; readonly problem?: string }[] {
  const stepIds = Object.keys(bundle.steps).filter((id) => bundle.steps[id]?.kind === 'llm');
  const scoped = (name: string) => stepIds.filter((id) => id.endsWith(`.${name}`));
  const scripted = new Map<string, string>();
  return keys.map((key) => {
    const [, name = key, suffix = ''] = SCRIPT_KEY.exec(key) ?? [];
    const nested = scoped(name);
    const stepId = stepIds.includes(name) ? name : nested.length === 1 ? nested[0] : undefined;
    if (stepId === undefined) {
      const problem =
        nested.length > 1
          ? `steps of several nested pipelines are named "${name}" (${nested.join(', ')}); write the one you mean`
          : `no step of pipeline ${bundle.pipeline} is named "${name}"; ${didYouMean(name, [...stepIds, ...unscopedNames(stepIds)])}the steps that call a model: ${stepIds.join(', ') || 'none'}`;
      return { key, problem };
    }
    const stepKey = `${stepId}${suffix}`;
    const earlier = scripted.get(stepKey);
    if (earlier !== undefined)
      return { key, problem: `"${earlier}" scripts the same step already (${stepKey}); keep one of them` };
    scripted.set(stepKey, key);
    return { key, stepKey };
  });
}

/** The last part of each scoped step id (`draft` of `summary.draft`) that only one step id ends with. */
function unscopedNames(stepIds: readonly string[]): string[] {
  const names = stepIds.flatMap((id) => (id.includes('.') ? [id.slice(id.lastIndexOf('.') + 1)] : []));
  return names.filter((name) => names.indexOf(name) === names.lastIndexOf(name) && !stepIds.includes(name));
}

/**
 * The scripted response of a step's model call (numbered by its attempt): the call-th
 * entry, or the last one once the list is used up; undefined when the script does not name the
 * step. Inside a loop body, calls count within the iteration, and the iteration's own key
 * (`review[1]`) comes before the step's.
 *
 * @example
 * scriptedResponse(script, 'plan', 3); // the third response of `plan`, or its last
 * scriptedResponse(script, 'review', 1, [1]); // the first of `review[1]`, else of `review`
 */
export function scriptedResponse(
  script: MockScript,
  stepId: string,
  call: number,
  iteration?: Iteration,
): MockResponse | undefined {
  const responses = script.steps.get(`${stepId}${iterationSuffix(iteration)}`) ?? script.steps.get(stepId);
  return responses?.[Math.min(Math.max(call, 1), responses.length) - 1];
}

function isErrorResponse(value: unknown): value is { $error: unknown } {
  return isMapping(value) && '$error' in value;
}

function isToolCallsResponse(value: unknown): value is { $tool_calls: unknown } {
  return isMapping(value) && '$tool_calls' in value;
}

function isMapping(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalidScript(path: string, issues: readonly MockScriptIssue[]): MockScriptError {
  const lines = issues.map(
    (issue) => `${path}:${issue.line}:${issue.col}: ${issue.field ? `${issue.field}: ` : ''}${issue.message}`,
  );
  return new MockScriptError(`invalid mock script ${path}\n${lines.join('\n')}`, issues);
}

/** `plan[1].$error` for the path `['plan', 1, '$error']`. */
function formatField(path: FieldPath): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${key}`))
    .join('');
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}

function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : String(error);
}
