// Types for the emulator packages, which ship none; only what local/ uses is declared.

declare module 'dynalite' {
  /** Options of dynalite 4 (architect/dynalite, index.js). */
  interface DynaliteOptions {
    /** LevelDB directory; in memory when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }
  /** Creates a DynamoDB-compatible HTTP server; `close()` also closes its database. */
  function dynalite(options?: DynaliteOptions): import('node:http').Server;
  export = dynalite;
}

declare module '@20minutes/s3rver' {
  /** Options of @20minutes/s3rver 4 (lib/s3rver.js). */
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string }[];
  }
  /** An S3-compatible server over a directory of files. */
  class S3rver {
    constructor(options?: S3rverOptions);
    /** Creates the configured buckets, then listens. */
    run(): Promise<import('node:net').AddressInfo>;
    close(): Promise<void>;
    httpServer: import('node:http').Server;
  }
  export = S3rver;
}
