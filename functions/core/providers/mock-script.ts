import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { type FieldPath, YamlLocator } from '../../../pipelines/yaml-ranges.js';
import { ErrorName } from '../errors.js';

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

/** One scripted answer: text (structured output is its JSON text) or an injected fault. */
export type MockResponse =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'error'; readonly error: MockErrorName };

/** A loaded mock script: for each step, the answers of attempt 1, 2, … (the last repeats). */
export interface MockScript {
  /** The file it was loaded from, for messages. */
  readonly path: string;
  readonly steps: ReadonlyMap<string, readonly MockResponse[]>;
}

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

const ResponseSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    if (!isErrorResponse(value)) return;
    for (const issue of ErrorResponseSchema.safeParse(value).error?.issues ?? []) {
      if (issue.code === 'unrecognized_keys') {
        // Point at each unknown key rather than at the whole response.
        for (const key of issue.keys) {
          ctx.addIssue({ code: 'custom', message: issue.message, path: [key], params: { at: 'key' } });
        }
      } else {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }
    }
  })
  .transform((value): MockResponse => {
    if (isErrorResponse(value)) return { kind: 'error', error: value.$error as MockErrorName };
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
 * is the list of responses of attempts 1, 2, …: a string is the text, any other JSON value is
 * structured output, `{"$error": NAME}` injects a fault ({@link MOCK_ERRORS}). Throws a
 * {@link MockScriptError} naming `FILE:LINE:COL`, the field, and what to write instead for every
 * problem found.
 *
 * @example
 * // plan: ["first draft", {"$error": "rate_limit"}, {"steps": ["a", "b"]}]
 * const script = await loadMockScript('test/fixtures/pipelines/refactor.mock.yaml');
 */
export async function loadMockScript(path: string): Promise<MockScript> {
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
  if (!parsed.success) {
    const locate = new YamlLocator(doc, text);
    const issues = parsed.error.issues.map((issue) => {
      const field = issue.path.filter((key) => typeof key !== 'symbol');
      const atKey = issue.code === 'custom' && issue.params?.at === 'key';
      const [offset] = atKey ? locate.key(field) : locate.value(field);
      return { ...position(offset), field: formatField(field), message: issue.message };
    });
    throw invalidScript(path, issues);
  }
  return { path, steps: new Map(Object.entries(parsed.data)) };
}

/**
 * The scripted response of a step's attempt: the attempt-th entry, or the last one once the list is
 * used up; undefined when the script does not name the step.
 *
 * @example
 * scriptedResponse(script, 'plan', 3); // the third response of `plan`, or its last
 */
export function scriptedResponse(
  script: MockScript,
  stepId: string,
  attempt: number,
): MockResponse | undefined {
  const responses = script.steps.get(stepId);
  return responses?.[Math.min(Math.max(attempt, 1), responses.length) - 1];
}

function isErrorResponse(value: unknown): value is { $error: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && '$error' in value;
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
