import { describe, expect, it } from 'vitest';
import { MemoryArtifactStore } from '../../../functions/stores/memory-artifact-store.js';
import {
  inlineDistributedMaps,
  LOCAL_ITEM_READER,
  LOCAL_RESULT_WRITER,
} from '../../../local/distributed-map.js';

const PROCESSOR = {
  ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
  StartAt: 'Work',
  States: { Work: { Type: 'Pass', End: true } },
};

function distributed(extra: Record<string, unknown> = {}) {
  return {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON', MaxItems: 2 },
          Parameters: { 'Bucket.$': '$.ref.bucket', 'Key.$': '$.ref.key' },
        },
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: 'b', Prefix: 'out' },
        },
        ItemProcessor: PROCESSOR,
        MaxConcurrency: 4,
        ToleratedFailurePercentage: 10,
        ResultPath: '$.ref',
        Next: 'After',
        ...extra,
      },
      After: { Type: 'Succeed' },
    },
  };
}

describe('inlineDistributedMaps', () => {
  it('leaves a definition without a Distributed Map as it is', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };

    expect(inlineDistributedMaps(definition, { taskHandlers: {} }).definition).toBe(definition);
  });

  it('reads the items, maps them inline, and writes the results where the ResultWriter would', async () => {
    // Prepare
    const artifacts = new MemoryArtifactStore('b');
    await artifacts.putJson('items.json', ['x', 'y', 'z']);

    // Act
    const { definition, taskHandlers } = inlineDistributedMaps(distributed(), {
      taskHandlers: {},
      artifacts,
    });
    const states = (definition as { States: Record<string, Record<string, unknown>> }).States;
    const read = await taskHandlers[LOCAL_ITEM_READER]?.({
      reader: { Bucket: 'b', Key: 'items.json', maxItems: 2 },
      writer: { Bucket: 'b', Prefix: 'out' },
    });
    const written = (await taskHandlers[LOCAL_RESULT_WRITER]?.({
      results: [{ n: 1 }],
      writer: { Bucket: 'b', Prefix: 'out' },
    })) as {
      ResultWriterDetails: { Key: string };
    };

    // Assess: three states in place of the Map, the same entry name, ending where it did
    expect(Object.keys(states)).toEqual(['Fan', 'Fan.LocalMap', 'Fan.LocalResults', 'After']);
    expect(states.Fan).toMatchObject({
      Type: 'Task',
      Resource: LOCAL_ITEM_READER,
      ResultPath: '$.ref',
      Next: 'Fan.LocalMap',
    });
    expect(states['Fan.LocalMap']).toEqual({
      Type: 'Map',
      ItemProcessor: { ...PROCESSOR, ProcessorConfig: { Mode: 'INLINE' } },
      MaxConcurrency: 4,
      ItemsPath: '$.ref.items',
      ResultPath: '$.ref.results',
      Next: 'Fan.LocalResults',
    });
    expect(states['Fan.LocalResults']).toMatchObject({
      Resource: LOCAL_RESULT_WRITER,
      ResultPath: '$.ref',
      Next: 'After',
    });
    expect(read).toEqual({ items: ['x', 'y'], writer: { Bucket: 'b', Prefix: 'out' } });
    const manifest = await artifacts.getJson<{ ResultFiles: { SUCCEEDED: { Key: string }[] } }>(
      written.ResultWriterDetails.Key,
    );
    const [file] = manifest.ResultFiles.SUCCEEDED;
    expect(await artifacts.getJson(file?.Key ?? '')).toEqual([
      expect.objectContaining({ Status: 'SUCCEEDED', Output: '{"n":1}' }),
    ]);
  });

  it.each([
    ['an ItemBatcher', { ItemBatcher: { MaxItemsPerBatch: 2 } }, 'ItemBatcher'],
    [
      'a CSV item list',
      { ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV' } } },
      'JSON item lists',
    ],
    ['no ResultPath', { ResultPath: '$' }, 'needs a ResultPath'],
  ])('refuses a Distributed Map with %s', (_, extra, message) => {
    expect(() =>
      inlineDistributedMaps(distributed(extra), {
        taskHandlers: {},
        artifacts: new MemoryArtifactStore('b'),
      }),
    ).toThrow(message);
  });

  it('needs the S3 store to run a Distributed Map', () => {
    expect(() => inlineDistributedMaps(distributed(), { taskHandlers: {} })).toThrow('pass `artifacts`');
  });
});
