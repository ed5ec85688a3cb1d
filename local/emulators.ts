import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type TableNames, tableNames } from '../functions/stores/table-definitions.js';
import { createMissingTables } from './create-tables.js';
import { startDynamoEmulator } from './dynamo-emulator.js';
import { createEmulatorClients, destroyEmulatorClients, type EmulatorClients } from './emulator-clients.js';
import { startS3Emulator } from './s3-emulator.js';

/** The bucket every local artifact lives in. */
export const LOCAL_BUCKET = 'elexirion-local';

/** The tenant local runs belong to unless told otherwise. */
export const LOCAL_TENANT = 'local';

/** The local stack's table names. */
export const localTableNames: TableNames = tableNames('elexirion-local');

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** Where data persists between runs (`dynamodb/` and `s3/` inside). Default: `.elexirion` under the cwd. */
  readonly dataDir?: string;
  /** Keep nothing: DynamoDB in memory, S3 in a temp directory removed by `stop()`. */
  readonly inMemory?: boolean;
}

/** The running emulators, with SDK clients ready to use. */
export interface LocalStack {
  readonly s3Endpoint: string;
  readonly dynamoEndpoint: string;
  readonly bucket: string;
  readonly tables: TableNames;
  readonly clients: EmulatorClients;
  /** Stops both emulators and closes the clients, leaving no open handles; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite and s3rver in-process on loopback ports and creates the tables and bucket when
 * missing, so data written in one run is there in the next.
 *
 * @example
 * const stack = await startLocalStack({ inMemory: true });
 * const store = new S3ArtifactStore(stack.clients.s3, stack.bucket);
 * await stack.stop();
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir ?? '.elexirion');
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const s3Directory = options.inMemory
      ? await mkdtemp(join(tmpdir(), 'elexirion-s3-'))
      : join(dataDir, 's3');
    if (options.inMemory) cleanups.push(() => rm(s3Directory, { recursive: true, force: true }));

    const dynamoPath = options.inMemory ? undefined : join(dataDir, 'dynamodb');
    const dynamoEmulator = await startDynamoEmulator({ path: dynamoPath, dataDir });
    cleanups.push(() => dynamoEmulator.stop());
    const s3Emulator = await startS3Emulator({ directory: s3Directory, bucket: LOCAL_BUCKET });
    cleanups.push(() => s3Emulator.stop());

    const clients = createEmulatorClients({ s3: s3Emulator.endpoint, dynamo: dynamoEmulator.endpoint });
    cleanups.push(async () => destroyEmulatorClients(clients));
    await createMissingTables(clients.dynamoRaw, localTableNames);

    let stopped: Promise<void> | undefined;
    return {
      s3Endpoint: s3Emulator.endpoint,
      dynamoEndpoint: dynamoEmulator.endpoint,
      bucket: LOCAL_BUCKET,
      tables: localTableNames,
      clients,
      stop: () => {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
