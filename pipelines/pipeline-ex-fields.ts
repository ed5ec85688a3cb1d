import { AGENT_TOOL_NAMES } from './contract/agent.js';

/**
 * Fields of pipeline_ex files (and of the Claude Agent SDK options its newer examples pass through)
 * that Elexirion does not support, each with what to write instead. The schema rejects them as
 * unknown fields; `schema-issues.ts` asks here first, so the error says the feature is not supported
 * and what to use, rather than only listing the fields allowed (reference §3, §15 defect 4).
 */

/** What kind of map an unknown field was found in. */
export type FieldSite =
  | 'workflow'
  | 'defaults'
  | 'step'
  | 'claude_options'
  | 'session_config'
  | 'extraction_config'
  | 'token_budget'
  | 'prompt_part';

/** Why a field is refused and what to write instead. */
export interface UnsupportedField {
  /** What the field is, e.g. "MCP servers"; absent when its name says it (a spelling of pipeline_ex's). */
  readonly what?: string;
  /** What to write instead, as a hint. */
  readonly instead: string;
}

type Advice =
  | UnsupportedField
  | ((context: { readonly stepType?: string; readonly value: unknown }) => UnsupportedField | undefined);

// Agent steps run the file tools of their allowed_tools; nothing else runs tools.
const NO_TOOLS = `a step runs no tools beyond the file tools an agent step lists in allowed_tools (${AGENT_TOOL_NAMES.join(', ')}), over the run's workspace`;

const AGENT_SDK: Readonly<Record<string, UnsupportedField>> = {
  mcp_servers: {
    what: 'MCP servers',
    instead: `${NO_TOOLS}; fetch what a server would provide before the run and pass it in as an input ({{inputs.NAME}}) or a file part`,
  },
  hooks: {
    what: 'Claude Agent SDK hooks',
    instead: `${NO_TOOLS}, so there is nothing to hook; every attempt is recorded (elexirion show RUN_ID) and run events are published to EventBridge`,
  },
  agents: {
    what: 'subagents',
    instead:
      'write each agent as a step of its own (claude_smart, with its instructions in claude_options.system_prompt) or as a task of a parallel_claude step, and pass their answers on with previous_response parts',
  },
  enable_skills: {
    what: 'Claude skills',
    instead:
      "put a skill's instructions in the prompt (a file part, e.g. {type: file, path: skills/excel.md}) or in claude_options.system_prompt",
  },
  setting_sources: {
    what: 'Claude settings files',
    instead:
      'write the settings in the pipeline: claude_options on a step, or defaults (claude_model, claude_options, claude_preset)',
  },
};

const CONTEXT_MANAGEMENT: UnsupportedField = {
  what: 'context management',
  instead:
    'a step sees only the prompt it declares: pass what it needs with previous_response parts (extract: for one field), or keep a conversation in claude_session steps (session_config.max_turns bounds the turns sent)',
};

const ERROR_HANDLING: UnsupportedField = {
  what: 'per-step error handling',
  instead:
    'a step that fails fails the run; make it a claude_robust step whose retry_config.fallback_action answers instead (marked degraded), or skip it with condition:',
};

const FUNCTION_CALLING: UnsupportedField = {
  what: 'function calling',
  instead:
    "ask for the call's arguments as structured output: output_schema on a gemini or gemini_instructor step, then read {{steps.NAME.FIELD}}",
};

const ADVICE: Readonly<Record<FieldSite, Readonly<Record<string, Advice>>>> = {
  workflow: {
    ...AGENT_SDK,
    memory_config: { ...CONTEXT_MANAGEMENT, what: 'memory compaction' },
    enable_context_management: CONTEXT_MANAGEMENT,
    variables: {
      what: 'workflow-level variables, which pipeline_ex does not read either',
      instead:
        'declare them under global_vars: and read {{global_vars.NAME}}; a set_variable step changes them during the run',
    },
    gemini_functions: FUNCTION_CALLING,
    metadata: { what: 'workflow metadata', instead: 'put it in description:, version: or YAML comments' },
    input: {
      what: "the Genesis task's input: map",
      instead:
        'declare run inputs under inputs: (e.g. inputs: {pipeline_request: {type: string}}) and pass them with --input NAME=VALUE or the run API',
    },
    resource_limits: {
      what: 'workflow resource_limits',
      instead:
        "limits are checked when the pipeline compiles (Limits in docs/pipeline-language.md); a pipeline step's config takes max_total_steps and timeout_seconds, a model step timeout_ms",
    },
    claude_auth: {
      instead:
        'provider keys come from ANTHROPIC_API_KEY / GEMINI_API_KEY locally and from Secrets Manager (elexirion/TENANT/anthropic) on AWS',
    },
    cost_alerts: {
      instead:
        "every attempt records its cost, and each tenant's stack alarms on its monthly provider budget (infra/tenants.yaml)",
    },
    output_schema: {
      what: 'a workflow-level output_schema',
      instead: 'put output_schema on the step whose answer it describes',
    },
    continue_on_error: ERROR_HANDLING,
  },
  defaults: {
    claude_output_format: {
      instead: 'write defaults.claude_options.output_format, or output_schema on a step to get JSON answers',
    },
    claude_fallback_model: {
      instead: 'write defaults.claude_options.fallback_model',
    },
    retry_on_error: {
      instead:
        'transient provider errors are retried by the state machine already; a claude_robust step declares its own retry_config',
    },
    continue_on_error: ERROR_HANDLING,
  },
  step: {
    options: {
      what: "a step's options: map, which pipeline_ex does not read either",
      instead: 'write these under claude_options: (model, max_turns, timeout_ms, allowed_tools, …)',
    },
    functions: FUNCTION_CALLING,
    tools: FUNCTION_CALLING,
    schema: {
      what: 'schema: on a step, which pipeline_ex ignores',
      instead:
        'write the JSON Schema of the answer as output_schema:; the answer is validated and its fields read as {{steps.NAME.FIELD}}',
    },
    streaming: {
      what: 'streaming',
      instead:
        'every answer is stored whole in S3 and passed on by reference, so nothing needs streaming; remove it',
    },
    conversation: {
      what: 'a conversation: list of turns',
      instead:
        'write each turn as a claude_session step of its own, all with the same session_config.session_name',
    },
    retry_config: ({ stepType }) =>
      stepType === 'claude_robust'
        ? undefined
        : {
            what: 'retry_config outside a claude_robust step',
            instead:
              'make the step type: claude_robust, whose retry_config is compiled to Step Functions Retry and Catch',
          },
    variable: ({ stepType }) =>
      stepType === 'set_variable'
        ? { what: "set_variable's variable:/value: pair", instead: 'write variables: {NAME: value}' }
        : undefined,
    value: ({ stepType }) =>
      stepType === 'set_variable'
        ? { what: "set_variable's variable:/value: pair", instead: 'write variables: {NAME: value}' }
        : undefined,
    continue_on_error: ERROR_HANDLING,
    on_error: ERROR_HANDLING,
    error_handler: ERROR_HANDLING,
    error_output: ERROR_HANDLING,
  },
  claude_options: {
    ...AGENT_SDK,
    pass_through_streaming: {
      what: 'a flag pipeline_ex sets itself',
      instead: 'remove it: answers are stored whole and passed on by reference',
    },
    print: {
      what: "the Claude CLI's print mode",
      instead: 'remove it: every step makes one non-interactive call',
    },
    timeout_seconds: ({ value }) => ({
      instead: `write timeout_ms: ${typeof value === 'number' ? Math.round(value * 1000) : 'SECONDS × 1000'} (milliseconds)`,
    }),
    permission_mode: { what: 'tool permissions', instead: `remove it: ${NO_TOOLS}` },
    max_thinking_tokens: { what: 'extended thinking', instead: 'remove it; max_tokens bounds the answer' },
    session_id: {
      what: 'resuming a Claude session by id',
      instead: 'continue a conversation with claude_session steps that share session_config.session_name',
    },
    resume: {
      what: 'resuming a Claude session',
      instead: 'continue a conversation with claude_session steps that share session_config.session_name',
    },
    continue_conversation: {
      what: 'continuing a Claude conversation',
      instead: 'continue a conversation with claude_session steps that share session_config.session_name',
    },
    retry_config: {
      what: 'retry_config in claude_options, which pipeline_ex ignores',
      instead: 'make the step type: claude_robust and put retry_config on the step',
    },
  },
  session_config: {
    session_id: { instead: 'write session_name' },
    max_session_turns: { instead: 'write max_turns' },
    checkpoint_interval: {
      instead: 'write checkpoint_frequency (accepted; every turn is stored as it happens)',
    },
    continue_session: {
      instead: 'remove it: a session always continues; persist: true (the default) keeps it across runs',
    },
  },
  extraction_config: {
    output_format: { instead: 'write format (text, json, structured, summary or markdown)' },
  },
  token_budget: {
    max_input_tokens: {
      what: 'an input-token cap',
      instead:
        'the prompt is sent as declared; keep it short with previous_response extract: (one field), or summarize first in a claude_extract step (format: summary, max_summary_length)',
    },
  },
  prompt_part: {
    extract_with: {
      what: 'a content extractor on a prompt part',
      instead:
        'take one field of a JSON answer with extract: a.b, or post-process the answer in a claude_extract step (extraction_config)',
    },
    summary: {
      what: 'summarizing a prompt part',
      instead:
        'summarize in an earlier claude_extract step (format: summary, max_summary_length) and insert that step',
    },
    max_length: {
      what: 'truncating a prompt part',
      instead: 'insert one field with extract:, or a claude_extract summary (max_summary_length)',
    },
  },
};

/**
 * The advice for an unsupported pipeline_ex or Claude SDK field, or undefined for a field that is
 * simply unknown (a typo, which gets "did you mean" and the allowed fields instead).
 *
 * @example
 * unsupportedField('workflow', 'mcp_servers', {value: {...}}); // {what: 'MCP servers', instead: 'a step makes one model call …'}
 */
export function unsupportedField(
  site: FieldSite,
  key: string,
  context: { readonly stepType?: string; readonly value: unknown },
): UnsupportedField | undefined {
  const advice = Object.hasOwn(ADVICE[site], key) ? ADVICE[site][key] : undefined;
  return typeof advice === 'function' ? advice(context) : advice;
}
