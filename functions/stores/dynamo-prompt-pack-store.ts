import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { PackPointer, PromptPackStore } from '../ports/prompt-pack-store.js';
import { tableKeys } from './table-definitions.js';

/**
 * Prompt packs as the optimizer stores them: the pointer item in the runs table, the documents in the
 * tenant's bucket (read through the artifact store).
 *
 * @example
 * const packs = new DynamoPromptPackStore(documentClient, tableNames('elexirion-acme').runs, artifacts);
 */
export class DynamoPromptPackStore implements PromptPackStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly runsTable: string,
    private readonly artifacts: ArtifactStore,
  ) {}

  async getPointer(tenantId: string, pipeline: string, stepId: string): Promise<PackPointer | undefined> {
    const reply = await this.db.send(
      new GetCommand({
        TableName: this.runsTable,
        Key: { ...tableKeys.promptPackPointer(tenantId, pipeline, stepId) },
      }),
    );
    if (reply.Item === undefined) return undefined;
    const { active, canary } = reply.Item as PackPointer;
    return { ...(active ? { active } : {}), ...(canary ? { canary } : {}) };
  }

  getPack(packKey: string): Promise<unknown> {
    return this.artifacts.getJson(packKey);
  }
}
