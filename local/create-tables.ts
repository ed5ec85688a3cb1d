import {
  CreateTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  TABLE_DEFINITIONS,
  type TableDefinition,
  type TableNames,
} from '../functions/stores/table-definitions.js';

/** Creates the tables that do not exist yet and waits until all are active; existing data is kept. */
export async function createMissingTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames);
  const designs = Object.entries(TABLE_DEFINITIONS) as [keyof TableNames, TableDefinition][];
  await Promise.all(
    designs.map(async ([table, design]) => {
      const TableName = names[table];
      if (!existing.has(TableName))
        await client.send(new CreateTableCommand(createTableInput(TableName, design)));
      // dynalite answers CREATING and turns ACTIVE a timer tick later; poll in tens of milliseconds.
      await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 0.02, maxDelay: 0.2 }, { TableName });
    }),
  );
}

/** The CreateTable request for a table design. */
function createTableInput(TableName: string, design: TableDefinition) {
  return {
    TableName,
    KeySchema: [
      { AttributeName: design.partitionKey.name, KeyType: 'HASH' as const },
      { AttributeName: design.sortKey.name, KeyType: 'RANGE' as const },
    ],
    AttributeDefinitions: [design.partitionKey, design.sortKey].map((key) => ({
      AttributeName: key.name,
      AttributeType: key.type,
    })),
    BillingMode: design.billingMode,
  };
}
