import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadPipeline, loadPipelineFromString } from '../../../pipelines/loader.js';
import type { IssueCode } from '../../../pipelines/types.js';

/**
 * Loads the public pipeline_ex example files (kept outside the project, in `../shared`) and checks
 * each one loads, or is rejected with the expected code. Every file of the corpus is classified here,
 * with the reason for each rejection (see the inventory in reference/pipeline-ex-format.md §16).
 */
const CORPUS = resolve(
  fileURLToPath(new URL('../../../', import.meta.url)),
  '../shared/pipeline_ex-examples',
);

const LOADS = 'loads';

const EXPECTED: Readonly<Record<string, readonly [typeof LOADS | IssueCode, string]>> = {
  'examples/simple_test.yaml': [LOADS, 'claude + gemini, static prompts'],
  'gemini_only_workflow.yaml': [LOADS, 'gemini chain with previous_response'],
  'test_simple_workflow.yaml': [LOADS, 'claude + gemini'],
  'examples/test_live_simple.yaml': [
    LOADS,
    'workspace_dir and checkpoint_enabled, accepted for compatibility',
  ],
  'test/fixtures/workflows/complex_workflow.yaml': [
    'INVALID_VALUE',
    'claude_options.allowed_tools lists Bash, which agent steps do not run',
  ],
  'test/fixtures/workflows/simple_workflow.yaml': [LOADS, 'checkpoint and workspace settings'],
  'examples/claude_smart_simple_live.yaml': [LOADS, 'gemini only; defaults.claude_preset accepted'],
  'engineering_innovation_pipeline.yaml': [LOADS, 'gemini + claude'],
  'engineering_innovation_single_step.yaml': [LOADS, 'one claude step'],
  'science_idea_pipeline.yaml': [LOADS, 'gemini + claude'],
  'test_opus_model.yaml': [LOADS, 'model pinning, claude_options.fallback_model'],
  'test_sonnet_model.yaml': [LOADS, 'model pinning'],

  'examples/claude_agent_hello_world.yaml': [LOADS, 'one claude_smart step'],
  'examples/claude_batch_example.yaml': [LOADS, 'claude_batch: tasks, step prompt as preamble, presets'],
  'examples/claude_extract_example.yaml': [
    'INVALID_VALUE',
    'post_processing on a json format (and the doc-only previous_response extract_with)',
  ],
  'examples/claude_format_issue_simple.yaml': [LOADS, 'claude_smart with output formats'],
  'examples/claude_live_test.yaml': [LOADS, 'one claude_smart step'],
  'examples/claude_output_formats_test.yaml': [
    'MISSING_FIELD',
    'a claude_session step without prompt (and doc-only session_config keys)',
  ],
  'examples/claude_session_example.yaml': [LOADS, 'three claude_session steps sharing one session'],
  'examples/claude_smart_example.yaml': [LOADS, 'claude_smart presets, environment_aware'],
  'examples/context_management_example.yaml': [
    'UNKNOWN_FIELD',
    'workflow-level context management keys, not supported (its string prompts load)',
  ],
  'examples/data_transform_example.yaml': [
    'INVALID_VALUE',
    'a workflow name with spaces (its string prompts load; its data_transform steps are test/conformance/data-transform)',
  ],
  'examples/hooks_example.yaml': [
    'UNKNOWN_FIELD',
    'workflow-level hooks, not supported (its string prompts load)',
  ],
  'examples/mcp_server_example.yaml': [
    'UNKNOWN_FIELD',
    'workflow-level mcp_servers, not supported (its string prompts load)',
  ],
  'examples/memory_compaction_example.yaml': [
    'UNKNOWN_FIELD',
    'workflow-level memory_config and context management, not supported (its string prompts load)',
  ],
  'examples/model_selection_demo.yaml': [LOADS, 'claude_smart presets, model and fallback_model'],
  'examples/performance_demo.yaml': [
    'UNKNOWN_FIELD',
    'set_variable with variable/value (not variables); file_ops stream_copy and stream_process are refused',
  ],
  'examples/simple_comprehensive_example.yaml': [
    'UNKNOWN_FIELD',
    'gemini_functions and defaults.claude_output_format (function calling is not supported)',
  ],
  'examples/skills_example.yaml': [
    'UNKNOWN_FIELD',
    'workflow-level enable_skills and setting_sources, not supported, and a step-level options:',
  ],
  'examples/subagents_example.yaml': [
    'UNKNOWN_FIELD',
    'workflow-level agents, not supported (its string prompts load)',
  ],
  'pipelines/meta/genesis_pipeline.yaml': [
    'UNKNOWN_FIELD',
    'workflow metadata, and schema: (not a JSON Schema) on claude_extract steps',
  ],
  'research_paper_improvement_native_loop.yaml': [
    'UNKNOWN_FIELD',
    'workflow-level variables: is read nowhere (a hand-fixed copy is test/conformance/fixtures/native-loop.yaml)',
  ],
  'test/fixtures/pipelines/context_inherit_test.yaml': [
    'UNKNOWN_REFERENCE',
    'its inputs and variables come from a parent (it runs as a child: test/conformance/nested-pipeline)',
  ],
  'test/fixtures/pipelines/nested_processor.yaml': [
    'UNKNOWN_REFERENCE',
    'its inputs come from a parent (it runs as a child: test/conformance/nested-pipeline)',
  ],
  'test/fixtures/pipelines/nested_with_error.yaml': ['UNKNOWN_STEP_TYPE', 'invalid_step_type, on purpose'],
  'test/fixtures/pipelines/output_extraction_test.yaml': [LOADS, 'test_echo steps with nested values'],
  'test/fixtures/pipelines/simple_nested.yaml': [LOADS, 'three test_echo steps'],
  'test/fixtures/pipelines/test_nested_basic.yaml': [LOADS, 'test_echo steps and an inline nested pipeline'],
  'test_claude.yaml': [LOADS, 'one claude_smart step'],
  'test_claude_robust.yaml': [LOADS, 'claude_robust with the default retries and fallback'],

  'blog_generator.yaml': ['MISSING_WORKFLOW', 'Genesis output without the workflow root'],
  'generated_pipeline.yaml': ['MISSING_WORKFLOW', 'Genesis output without the workflow root'],
  'examples/schema_validation_example.yaml': ['MISSING_WORKFLOW', 'pipeline: + steps: at the root'],
  'examples/meta/genesis_example.yaml': ['MISSING_WORKFLOW', 'a Genesis request spec, not a pipeline'],
  'examples/meta/simple_genesis_test.yaml': ['MISSING_WORKFLOW', 'a Genesis request spec, not a pipeline'],

  'examples/enhanced_features_simple_live.yaml': [
    'UNKNOWN_FIELD',
    'token_budget.max_input_tokens exists nowhere',
  ],
  'simple_genesis.yaml': ['UNKNOWN_FIELD', 'workflow input: is read only by the Genesis task'],
  'working_genesis.yaml': ['UNKNOWN_FIELD', 'claude_options.timeout_seconds exists nowhere'],
  'research_paper_improvement_pipeline.yaml': [
    'UNKNOWN_FIELD',
    'pass_through_streaming is set by the executor',
  ],

  'ai_project_innovation_pipeline.yaml': ['FILE_NOT_FOUND', 'file parts read from a sibling repository'],
  'research_paper_improvement_gemini_pro_delayed.yaml': [
    'FILE_OUTSIDE_FOLDER',
    'file part read from ../, outside the pipeline folder',
  ],

  'workflows/explain_code.yaml': ['BAD_TEMPLATE', 'file path {{ code_file }} is a run-time template'],
  'workflows/quick_review.yaml': ['BAD_TEMPLATE', 'file path {{ code_file }} is a run-time template'],
};

/**
 * Files refused only for pipeline_ex / Claude SDK features Elexirion does not support, with those
 * fields (`workflow.X`, or `steps.X` for every top-level step's X): without them, they load.
 */
const REFUSED_FEATURES: Readonly<Record<string, readonly string[]>> = {
  'examples/hooks_example.yaml': ['workflow.hooks'],
  'examples/mcp_server_example.yaml': ['workflow.mcp_servers'],
  'examples/subagents_example.yaml': ['workflow.agents'],
  'examples/memory_compaction_example.yaml': [
    'workflow.memory_config',
    'workflow.enable_context_management',
    'workflow.setting_sources',
  ],
  'examples/context_management_example.yaml': [
    'workflow.enable_context_management',
    'workflow.setting_sources',
  ],
  'examples/skills_example.yaml': ['workflow.enable_skills', 'workflow.setting_sources', 'steps.options'],
};

/** The paths `field` names in a file's data: `workflow.X`, or `steps.X` in each top-level step that has X. */
function fieldPaths(data: unknown, field: string): (string | number)[][] {
  const [scope, key = ''] = field.split('.');
  if (scope === 'workflow') return [['workflow', key]];
  const steps = (data as { workflow: { steps: Record<string, unknown>[] } }).workflow.steps;
  return steps.flatMap((step, index) => (key in step ? [['workflow', 'steps', index, key]] : []));
}

const present = existsSync(CORPUS);
const title = present
  ? 'pipeline_ex example corpus'
  : `pipeline_ex example corpus (skipped: ${CORPUS} is absent; it exists in CI, not in a user's clone)`;

describe.skipIf(!present)(title, () => {
  it('classifies every YAML file of the corpus', async () => {
    const files = (await readdir(CORPUS, { recursive: true }))
      .filter((file) => file.endsWith('.yaml'))
      .sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(REFUSED_FEATURES))(
    '%s is refused for features Elexirion does not support, saying so, and loads without them',
    async (file, fields) => {
      // Prepare
      const path = join(CORPUS, file);
      const source = await readFile(path, 'utf8');
      const doc = parseDocument(source);
      for (const field of fields) for (const at of fieldPaths(doc.toJS(), field)) doc.deleteIn(at);

      // Act
      const refused = await loadPipelineFromString(source, path);
      const stripped = await loadPipelineFromString(doc.toString(), path);

      // Assess: every refusal names the feature as unsupported; the rest (string prompts included) loads
      const unknown = refused.issues.filter((issue) => issue.code === 'UNKNOWN_FIELD');
      const refusedFields = new Set(unknown.map((issue) => String(issue.path.at(-1))));
      expect([...refusedFields].sort()).toEqual(fields.map((field) => field.split('.')[1]).sort());
      for (const issue of unknown) expect(issue.message).toMatch(/is not supported by Elexirion$/);
      expect(stripped.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
      expect(stripped.pipeline).toBeDefined();
    },
  );

  it.each(Object.entries(EXPECTED))('%s: %j', async (file, [expected]) => {
    // Act
    const result = await loadPipeline(join(CORPUS, file));

    // Assess
    if (expected === LOADS) {
      expect(result.issues).toEqual([]);
      expect(result.pipeline).toBeDefined();
    } else {
      expect(result.pipeline).toBeUndefined();
      expect(result.issues.map((issue) => issue.code)).toContain(expected);
    }
  });
});
