import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPipeline } from '../../../pipelines/loader.js';
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
    LOADS,
    'five-step chain; output_to_file, defaults.output_dir',
  ],
  'test/fixtures/workflows/simple_workflow.yaml': [LOADS, 'checkpoint and workspace settings'],
  'examples/claude_smart_simple_live.yaml': [LOADS, 'gemini only; defaults.claude_preset accepted'],
  'engineering_innovation_pipeline.yaml': [LOADS, 'gemini + claude'],
  'engineering_innovation_single_step.yaml': [LOADS, 'one claude step'],
  'science_idea_pipeline.yaml': [LOADS, 'gemini + claude'],
  'test_opus_model.yaml': [LOADS, 'model pinning, claude_options.fallback_model'],
  'test_sonnet_model.yaml': [LOADS, 'model pinning'],

  'examples/claude_agent_hello_world.yaml': ['UNKNOWN_STEP_TYPE', 'claude_smart'],
  'examples/claude_batch_example.yaml': ['UNKNOWN_STEP_TYPE', 'claude_batch'],
  'examples/claude_extract_example.yaml': ['UNKNOWN_STEP_TYPE', 'claude_extract'],
  'examples/claude_format_issue_simple.yaml': ['UNKNOWN_STEP_TYPE', 'claude_smart'],
  'examples/claude_live_test.yaml': ['UNKNOWN_STEP_TYPE', 'claude_smart'],
  'examples/claude_output_formats_test.yaml': ['UNKNOWN_STEP_TYPE', 'claude_smart and other enhanced types'],
  'examples/claude_session_example.yaml': ['UNKNOWN_STEP_TYPE', 'claude_session'],
  'examples/claude_smart_example.yaml': ['UNKNOWN_STEP_TYPE', 'claude_smart'],
  'examples/context_management_example.yaml': ['UNKNOWN_STEP_TYPE', 'claude_smart'],
  'examples/data_transform_example.yaml': ['UNKNOWN_STEP_TYPE', 'data_transform (and a string prompt)'],
  'examples/hooks_example.yaml': ['UNKNOWN_STEP_TYPE', 'claude_smart (and workflow-level hooks)'],
  'examples/mcp_server_example.yaml': ['UNKNOWN_STEP_TYPE', 'claude_smart (and workflow-level mcp_servers)'],
  'examples/memory_compaction_example.yaml': ['UNKNOWN_STEP_TYPE', 'claude_smart'],
  'examples/model_selection_demo.yaml': ['UNKNOWN_STEP_TYPE', 'claude_smart'],
  'examples/performance_demo.yaml': ['UNKNOWN_STEP_TYPE', 'file_ops, for_loop, data_transform'],
  'examples/simple_comprehensive_example.yaml': ['UNKNOWN_STEP_TYPE', 'parallel_claude, gemini_instructor'],
  'examples/skills_example.yaml': ['UNKNOWN_STEP_TYPE', 'claude_smart'],
  'examples/subagents_example.yaml': ['UNKNOWN_STEP_TYPE', 'claude_smart'],
  'pipelines/meta/genesis_pipeline.yaml': [
    'UNKNOWN_STEP_TYPE',
    'claude_smart, claude_extract, claude_robust',
  ],
  'research_paper_improvement_native_loop.yaml': ['UNKNOWN_STEP_TYPE', 'while_loop'],
  'test/fixtures/pipelines/context_inherit_test.yaml': ['UNKNOWN_STEP_TYPE', 'test_echo'],
  'test/fixtures/pipelines/nested_processor.yaml': ['UNKNOWN_STEP_TYPE', 'test_echo'],
  'test/fixtures/pipelines/nested_with_error.yaml': ['UNKNOWN_STEP_TYPE', 'invalid_step_type, on purpose'],
  'test/fixtures/pipelines/output_extraction_test.yaml': ['UNKNOWN_STEP_TYPE', 'test_echo'],
  'test/fixtures/pipelines/simple_nested.yaml': ['UNKNOWN_STEP_TYPE', 'test_echo'],
  'test/fixtures/pipelines/test_nested_basic.yaml': ['UNKNOWN_STEP_TYPE', 'test_echo, pipeline'],
  'test_claude.yaml': ['UNKNOWN_STEP_TYPE', 'claude_smart'],
  'test_claude_robust.yaml': ['UNKNOWN_STEP_TYPE', 'claude_robust'],

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
    'FILE_NOT_FOUND',
    'file part read from a sibling repository',
  ],

  'workflows/explain_code.yaml': ['BAD_TEMPLATE', 'file path {{ code_file }} is a run-time template'],
  'workflows/quick_review.yaml': ['BAD_TEMPLATE', 'file path {{ code_file }} is a run-time template'],
};

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
