import type { Step } from '../../pipelines/schema.js';
import { emitClaudeBatchStep } from './claude-batch.js';
import { emitClaudeRobustStep } from './claude-robust.js';
import type { EmitContext, EmittedStep } from './context.js';
import { emitDataTransformStep } from './data-transform.js';
import { emitFileOpsStep } from './file-ops.js';
import { emitForLoopStep } from './for-loop.js';
import { emitLlmStep } from './llm.js';
import { emitNestedPipelineStep } from './nested-pipeline.js';
import { emitParallelClaudeStep } from './parallel-claude.js';
import { emitSetVariableStep } from './set-variable.js';
import { emitSwitchStep } from './switch.js';
import { emitTestEchoStep } from './test-echo.js';
import { emitTestStep } from './test-step.js';
import { emitWhileLoopStep } from './while-loop.js';

/** The one dispatcher from a step's `type` to its emitter; the `never` check makes every type handled. */
export function emitStep(step: Step, ctx: EmitContext): EmittedStep {
  switch (step.type) {
    case 'claude':
    case 'gemini':
    case 'claude_smart':
    case 'claude_extract':
    case 'gemini_instructor':
    case 'claude_session':
      return emitLlmStep(step, ctx);
    case 'claude_robust':
      return emitClaudeRobustStep(step, ctx);
    case 'claude_batch':
      return emitClaudeBatchStep(step, ctx);
    case 'parallel_claude':
      return emitParallelClaudeStep(step, ctx);
    case 'set_variable':
      return emitSetVariableStep(step, ctx);
    case 'test_echo':
      return emitTestEchoStep(step, ctx);
    case 'data_transform':
      return emitDataTransformStep(step, ctx);
    case 'file_ops':
      return emitFileOpsStep(step, ctx);
    case 'pipeline':
      return emitNestedPipelineStep(step, ctx);
    case 'test':
      return emitTestStep(step, ctx);
    case 'for_loop':
      return emitForLoopStep(step, ctx);
    case 'while_loop':
      return emitWhileLoopStep(step, ctx);
    case 'switch':
      return emitSwitchStep(step, ctx);
    default: {
      const unhandled: never = step;
      throw new Error(`internal: no emitter for step ${JSON.stringify(unhandled)}`);
    }
  }
}
