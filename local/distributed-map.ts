import { randomUUID } from 'node:crypto';
import type { ArtifactStore } from '../functions/ports/artifact-store.js';
import { helperStateName } from '../statemachines/state-names.js';

/** Serves a Task in-process (the executor's `TaskHandler`). */
type TaskHandler = (input: unknown) => Promise<unknown>;

type State = Record<string, unknown>;

/** Resources of the local-only Tasks that stand in for a Distributed Map's ItemReader and ResultWriter. */
export const LOCAL_ITEM_READER = 'arn:aws:lambda:us-east-1:000000000000:function:elexirion-local-item-reader';
export const LOCAL_RESULT_WRITER =
  'arn:aws:lambda:us-east-1:000000000000:function:elexirion-local-result-writer';

/** Fields of a Distributed Map this pre-pass does not reproduce; a definition using one is refused. */
const UNSUPPORTED = ['ResultSelector', 'ItemBatcher', 'ItemsPath', 'Items'] as const;

/**
 * The local interpreter runs a Distributed Map as an inline one and ignores `ItemReader` and
 * `ResultWriter`. So before it runs, each Distributed Map `N` (at any depth) becomes three states
 * that read and write S3 where the cloud would:
 *
 * - `N`: a local Task that reads the JSON item list named by the `ItemReader`'s parameters (and
 *   evaluates the `ResultWriter`'s), into the Map's `ResultPath`;
 * - `N.LocalMap`: the same Map, `INLINE`, over those items, with the same `ItemSelector`,
 *   `MaxConcurrency`, processor, `Retry` and `Catch`;
 * - `N.LocalResults`: a local Task that writes the iterations' outputs as the ResultWriter does
 *   (`PREFIX/RUN/manifest.json` and `SUCCEEDED_0.json`) and leaves `{MapRunArn, ResultWriterDetails}`
 *   at `ResultPath`, as the cloud does; without a ResultWriter, a Pass leaves the outputs there.
 *
 * Not reproduced: `ToleratedFailure*` (a failing iteration fails the local Map) and child
 * executions' own histories. Items and outputs pass through the local state, so its 256 KiB limit
 * bounds the local run, not the cloud one.
 *
 * @example
 * const { definition, taskHandlers } = inlineDistributedMaps(asl, { taskHandlers, artifacts });
 */
export function inlineDistributedMaps(
  definition: object,
  options: {
    readonly taskHandlers: Readonly<Record<string, TaskHandler>>;
    readonly artifacts?: ArtifactStore;
  },
): { readonly definition: object; readonly taskHandlers: Readonly<Record<string, TaskHandler>> } {
  let found = false;
  const rewritten = rewriteMachine(definition as State, () => {
    found = true;
  });
  if (!found) return { definition, taskHandlers: options.taskHandlers };
  const artifacts = options.artifacts;
  if (artifacts === undefined) {
    throw new Error(
      'the definition has a Distributed Map; pass `artifacts` (the S3 store its items live in)',
    );
  }
  return {
    definition: rewritten,
    taskHandlers: {
      ...options.taskHandlers,
      [LOCAL_ITEM_READER]: (input) => readItems(input as ReaderInput, artifacts),
      [LOCAL_RESULT_WRITER]: (input) => writeResults(input as WriterInput, artifacts),
    },
  };
}

function rewriteMachine(machine: State, onFound: () => void): State {
  const states: State = {};
  for (const [name, value] of Object.entries((machine.States ?? {}) as State)) {
    const state = rewriteNested(value as State, onFound);
    if (isDistributed(state)) {
      onFound();
      Object.assign(states, inlineMap(name, state));
    } else {
      states[name] = state;
    }
  }
  return { ...machine, States: states };
}

/** A state with its branches' and processor's states rewritten too. */
function rewriteNested(state: State, onFound: () => void): State {
  const copy = { ...state };
  if (Array.isArray(state.Branches))
    copy.Branches = state.Branches.map((branch) => rewriteMachine(branch as State, onFound));
  if (isRecord(state.ItemProcessor)) copy.ItemProcessor = rewriteMachine(state.ItemProcessor, onFound);
  if (isRecord(state.Iterator)) copy.Iterator = rewriteMachine(state.Iterator, onFound);
  return copy;
}

function isDistributed(state: State): boolean {
  const processor = state.ItemProcessor;
  return (
    state.Type === 'Map' &&
    isRecord(processor) &&
    isRecord(processor.ProcessorConfig) &&
    processor.ProcessorConfig.Mode === 'DISTRIBUTED'
  );
}

function inlineMap(name: string, state: State): State {
  const where = `Distributed Map "${name}"`;
  const unsupported = UNSUPPORTED.find((field) => field in state);
  if (unsupported !== undefined)
    throw new Error(`${where} uses ${unsupported}, which the local executor does not reproduce`);
  const resultPath = state.ResultPath;
  if (typeof resultPath !== 'string' || resultPath === '$') {
    throw new Error(`${where} needs a ResultPath inside the state (e.g. $.steps.NAME) to run locally`);
  }
  const reader = state.ItemReader;
  if (
    !isRecord(reader) ||
    reader.Resource !== 'arn:aws:states:::s3:getObject' ||
    !isJsonReader(reader.ReaderConfig)
  ) {
    throw new Error(
      `${where}: the local executor reads only JSON item lists (ItemReader s3:getObject, InputType JSON)`,
    );
  }
  const writer = isRecord(state.ResultWriter) ? state.ResultWriter : undefined;
  const mapName = helperStateName(name, 'LocalMap');
  const resultsName = helperStateName(name, 'LocalResults');
  const { ItemReader: _r, ResultWriter: _w, Label: _l, Next, End, ...rest } = state;
  const map = Object.fromEntries(
    Object.entries(rest).filter(([field]) => !field.startsWith('ToleratedFailure')),
  );
  const ending = Next === undefined ? { End: End ?? true } : { Next };
  const processor = state.ItemProcessor as State;
  return {
    [name]: {
      Type: 'Task',
      Resource: LOCAL_ITEM_READER,
      Parameters: {
        reader: {
          ...(isRecord(reader.Parameters) ? reader.Parameters : {}),
          ...maxItems(reader.ReaderConfig),
        },
        ...(writer && isRecord(writer.Parameters) ? { writer: writer.Parameters } : {}),
      },
      ResultPath: resultPath,
      Next: mapName,
    },
    [mapName]: {
      ...map,
      ItemsPath: `${resultPath}.items`,
      ItemProcessor: { ...processor, ProcessorConfig: { Mode: 'INLINE' } },
      ResultPath: `${resultPath}.results`,
      Next: resultsName,
    },
    [resultsName]: writer
      ? {
          Type: 'Task',
          Resource: LOCAL_RESULT_WRITER,
          Parameters: { 'results.$': `${resultPath}.results`, 'writer.$': `${resultPath}.writer` },
          ResultPath: resultPath,
          ...ending,
        }
      : { Type: 'Pass', InputPath: `${resultPath}.results`, ResultPath: resultPath, ...ending },
  };
}

function isJsonReader(config: unknown): boolean {
  return isRecord(config) && config.InputType === 'JSON';
}

function maxItems(config: unknown): State {
  return isRecord(config) && typeof config.MaxItems === 'number' ? { maxItems: config.MaxItems } : {};
}

interface ReaderInput {
  readonly reader: { readonly Bucket?: string; readonly Key: string; readonly maxItems?: number };
  readonly writer?: { readonly Bucket: string; readonly Prefix: string };
}

async function readItems(input: ReaderInput, artifacts: ArtifactStore): Promise<unknown> {
  const items = await artifacts.getJson<unknown>(input.reader.Key);
  if (!Array.isArray(items)) throw new Error(`item manifest ${input.reader.Key} is not a JSON list`);
  const limited = input.reader.maxItems === undefined ? items : items.slice(0, input.reader.maxItems);
  return { items: limited, ...(input.writer ? { writer: input.writer } : {}) };
}

interface WriterInput {
  readonly results: readonly unknown[];
  readonly writer: { readonly Bucket: string; readonly Prefix: string };
}

/** Writes the iterations' outputs in the ResultWriter's layout and returns what the Map state would. */
async function writeResults({ results, writer }: WriterInput, artifacts: ArtifactStore): Promise<unknown> {
  const run = randomUUID();
  const base = `${writer.Prefix.replace(/\/$/, '')}/${run}`;
  const entries = results.map((output, index) => ({
    Name: `${run}-${index}`,
    Status: 'SUCCEEDED',
    Output: JSON.stringify(output),
  }));
  const file = await artifacts.putJson(`${base}/SUCCEEDED_0.json`, entries);
  const manifestKey = `${base}/manifest.json`;
  const mapRunArn = `arn:aws:states:us-east-1:000000000000:mapRun:elexirion-local/${run}`;
  await artifacts.putJson(manifestKey, {
    DestinationBucket: writer.Bucket,
    MapRunArn: mapRunArn,
    ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: [{ Key: file.key, Size: file.bytes }] },
  });
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: writer.Bucket, Key: manifestKey } };
}

function isRecord(value: unknown): value is State {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
