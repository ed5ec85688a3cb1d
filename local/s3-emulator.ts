import S3rver from '@20minutes/s3rver';
import { closeServer } from './close-server.js';

/** A running s3rver. */
export interface S3Emulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Options of {@link startS3Emulator}. */
export interface S3EmulatorOptions {
  /** Where objects are kept as files. */
  readonly directory: string;
  /** Created when missing; an existing bucket keeps its objects. */
  readonly bucket: string;
}

/** Starts @20minutes/s3rver in-process on a loopback port, silent, with the bucket in place. */
export async function startS3Emulator(options: S3EmulatorOptions): Promise<S3Emulator> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: options.directory,
    // SDK v3 signs headers s3rver 4 canonicalizes differently (aws-facts §5.1).
    allowMismatchedSignatures: true,
    configureBuckets: [{ name: options.bucket }],
  });
  const { port } = await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => closeServer(server.httpServer) };
}
