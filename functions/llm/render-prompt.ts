import type { LlmStepSpec, PromptPartSpec } from '../../pipelines/contract/spec-bundle.js';
import { type SessionStore, sessionTranscript } from './session-store.js';
import { referencedSteps, type TemplateScope } from './template-scope.js';
import type { WorkspaceFileRead, WorkspaceFileTexts } from './workspace-file.js';

/** The text sent to the model, and the workspace files its `workspace_file` parts inserted. */
export interface RenderedPrompt {
  readonly system?: string;
  readonly prompt: string;
  readonly workspaceFiles?: readonly WorkspaceFileRead[];
}

/** The text of each `session_context` part, read from the session store before rendering. */
export type SessionTexts = ReadonlyMap<PromptPartSpec, string>;

/** Step ids a spec reads, through templates (`workspace_file` paths included) or `previous_response` parts. */
export function stepsReadBy(spec: LlmStepSpec): string[] {
  const templates = [
    spec.system,
    ...spec.prompt.map((part) =>
      part.type === 'static' ? part.content : part.type === 'workspace_file' ? part.path : undefined,
    ),
  ];
  const previous = spec.prompt.flatMap((part) => (part.type === 'previous_response' ? [part.step] : []));
  return [...referencedSteps(templates.filter((t) => t !== undefined)), ...previous];
}

/** Reads the stored turns every `session_context` part of a spec shows. */
export async function loadSessionTexts(spec: LlmStepSpec, sessions: SessionStore): Promise<SessionTexts> {
  const texts = new Map<PromptPartSpec, string>();
  await Promise.all(
    spec.prompt.map(async (part) => {
      if (part.type !== 'session_context') return;
      const { turns } = await sessions.read(part.session, part.includeLastN);
      texts.set(part, sessionTranscript(turns));
    }),
  );
  return texts;
}

/**
 * Renders the prompt parts, joined with newlines as pipeline_ex does. `files` holds what
 * `readWorkspaceFileParts` read for the spec's `workspace_file` parts.
 */
export function renderPrompt(
  spec: LlmStepSpec,
  scope: TemplateScope,
  sessions: SessionTexts = new Map(),
  files: WorkspaceFileTexts = { texts: new Map(), read: [] },
): RenderedPrompt {
  const prompt = spec.prompt.map((part) => renderPart(part, scope, sessions, files.texts)).join('\n');
  const read = files.read.length === 0 ? {} : { workspaceFiles: files.read };
  return spec.system === undefined
    ? { prompt, ...read }
    : { system: scope.render(spec.system), prompt, ...read };
}

function renderPart(
  part: PromptPartSpec,
  scope: TemplateScope,
  sessions: SessionTexts,
  files: WorkspaceFileTexts['texts'],
): string {
  switch (part.type) {
    case 'static':
      return scope.render(part.content);
    case 'file':
      return part.content;
    case 'previous_response': {
      if (part.extract === undefined) return scope.output(part.step).text;
      const value = scope.stepField(part.step, part.extract.split('.'));
      return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    }
    case 'session_context':
      // A conversation with no stored turn yet renders as nothing.
      return sessions.get(part) ?? '';
    case 'workspace_file': {
      const text = files.get(part);
      if (text === undefined)
        throw new Error('internal: a workspace_file part was rendered before it was read');
      return text;
    }
  }
}
