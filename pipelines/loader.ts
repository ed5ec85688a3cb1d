import { dirname, resolve } from 'node:path';
import { type Document, parseDocument, visit, type YAMLError } from 'yaml';
import { checkAgentSteps } from './agent-checks.js';
import { checkDataSources } from './data-step-checks.js';
import { pipelineError, sortIssues } from './issues.js';
import { checkLearning } from './learning-checks.js';
import { checkNestedPipelines, type NestingOptions, withContext } from './nested-pipelines.js';
import { FileRefusedError, type ReadTextFile, readFileInFolder } from './pipeline-folder.js';
import { fileIssue, readPromptFiles } from './prompt-files.js';
import { checkPromptShorthand } from './prompt-shorthand.js';
import { checkReferences } from './references.js';
import { PipelineFileSchema } from './schema.js';
import { schemaIssues } from './schema-issues.js';
import type { LoadResult, PipelineIssue } from './types.js';
import { YamlLocator } from './yaml-ranges.js';

/**
 * Loads a pipeline file: reads it, then runs {@link loadPipelineFromString}. A file that cannot be
 * read is a `FILE_NOT_FOUND` issue (`FILE_REFUSED` for a device, a FIFO or a file over the size cap),
 * not an exception. A pipeline file, nested or not, may live anywhere; the files it reads must be
 * inside its folder.
 *
 * @example
 * const { pipeline, issues, source } = await loadPipeline('pipelines/examples/chain.yaml');
 * if (!pipeline) console.error(formatIssues('pipelines/examples/chain.yaml', source, issues));
 */
export async function loadPipeline(
  file: string,
  read: ReadTextFile = readFileInFolder,
  nesting: NestingOptions = {},
): Promise<LoadResult> {
  const absolute = resolve(file);
  let source: string;
  try {
    source = await read(absolute, dirname(absolute));
  } catch (error) {
    const at = { path: [], range: [0, 0] as const };
    if (error instanceof FileRefusedError) {
      return { issues: [fileIssue(error, { ...at, written: file, absolute, hint: '' })], source: '' };
    }
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    const issue = pipelineError({
      code: 'FILE_NOT_FOUND',
      message: `pipeline file ${absolute} ${reason}`,
      hint: 'check the path; relative paths start at the current directory',
      ...at,
    });
    return { issues: [issue], source: '' };
  }
  return loadPipelineFromString(source, file, read, nesting);
}

/**
 * Loads a pipeline from its text, in three passes that each report every problem they find: YAML
 * syntax (`YAML_SYNTAX`), the schema (`MISSING_FIELD`, `UNKNOWN_FIELD`, …), then references and
 * templates across the whole file, and the `file` prompt parts, read relative to `file`'s folder.
 * A pass runs only when the one before it found no error. `pipeline` is set when no issue is an error.
 *
 * @param file the pipeline file's path; it names the file in issues and is the base of `file` parts.
 * @param read reads `file` prompt parts (and nested pipeline files) by absolute path.
 * @param nesting where the file is nested, when a `pipeline` step of another file names it.
 */
export async function loadPipelineFromString(
  source: string,
  file: string,
  read: ReadTextFile = readFileInFolder,
  nesting: NestingOptions = {},
): Promise<LoadResult> {
  // YAML 1.1 tags (!!binary, !!set, …) would yield buffers and sets; plain JSON data is all a pipeline holds.
  const doc = parseDocument(source, { prettyErrors: false, resolveKnownTags: false });
  const yamlIssues = [...doc.errors, ...doc.warnings].map(yamlIssue);
  if (doc.errors.length > 0) return { issues: yamlIssues, source };

  const data = toData(doc);
  if (data.issue) return { issues: sortIssues([...yamlIssues, data.issue]), source };

  const locate = new YamlLocator(doc, source);
  const parsed = PipelineFileSchema.safeParse(data.value);
  if (!parsed.success) {
    return {
      issues: sortIssues([...yamlIssues, ...schemaIssues(parsed.error.issues, data.value, locate)]),
      source,
    };
  }

  const { workflow } = parsed.data;
  const absolute = resolve(file);
  const { files, issues: fileIssues } = await readPromptFiles(workflow, dirname(absolute), locate, read);
  // A nested file is checked with what its parent passes in declared; it keeps its own declarations.
  const checked = withContext(workflow, nesting.context);
  const nested = await checkNestedPipelines(
    checked,
    { file: absolute, doc, source, locate },
    nesting,
    (child, options) => loadPipeline(child, read, options),
  );
  const issues = sortIssues([
    ...yamlIssues,
    ...checkReferences(checked, locate),
    ...checkDataSources(checked, locate),
    ...checkLearning(checked, locate),
    ...checkAgentSteps(checked, locate),
    ...checkPromptShorthand(workflow, data.value, locate),
    ...fileIssues,
    ...nested.issues,
  ]);
  const failed = issues.some((issue) => issue.severity === 'error');
  const pipelines = Object.keys(nested.pipelines).length > 0 ? { pipelines: nested.pipelines } : {};
  return failed
    ? { issues, source }
    : { pipeline: { file: absolute, workflow, files, ...pipelines }, issues, source };
}

function yamlIssue(error: YAMLError): PipelineIssue {
  return {
    code: 'YAML_SYNTAX',
    severity: error.name === 'YAMLWarning' ? 'warning' : 'error',
    message: `${error.message} (${error.code})`,
    path: [],
    range: error.pos,
  };
}

/**
 * The document as plain data. Converting throws on an alias without an anchor and on alias
 * expansion past yaml's limit (a resource exhaustion guard); both become YAML_SYNTAX issues.
 */
function toData(doc: Document): { value: unknown; issue?: undefined } | { issue: PipelineIssue } {
  try {
    return { value: doc.toJS() };
  } catch (error) {
    let range: readonly [number, number] = [0, 0];
    visit(doc, {
      Alias(_, node) {
        if (node.resolve(doc) !== undefined || !node.range) return undefined;
        range = [node.range[0], node.range[1]];
        return visit.BREAK;
      },
    });
    const message = error instanceof Error ? error.message : String(error);
    return { issue: { code: 'YAML_SYNTAX', severity: 'error', message, path: [], range } };
  }
}
