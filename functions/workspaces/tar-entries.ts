import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { type Header, extract as tarExtract } from 'tar-stream';
import type { ArchiveEntry, ArchiveEntryKind } from './archive-entry.js';
import { WorkspaceInvalidError } from './workspace-invalid-error.js';

/**
 * The entries of a `.tar.gz`, read as a stream: nothing but the entry being read is held. The
 * unpacked tar (headers included) may be at most `maxBytes` long, which also bounds a gzip bomb and
 * the pax headers tar-stream keeps in memory. A damaged archive rejects with `Workspace.Invalid`.
 */
export async function* tarGzEntries(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
): AsyncGenerator<ArchiveEntry, void, undefined> {
  const extract = tarExtract();
  const unpacking = pipeline(Readable.from(source), createGunzip(), byteLimit(maxBytes), extract);
  // Its errors also destroy `extract`, so they surface in the loop below; it is awaited after it.
  unpacking.catch(() => undefined);
  try {
    for await (const entry of extract) {
      const { header } = entry;
      let read = false;
      yield {
        name: header.name,
        kind: kindOf(header.type),
        mode: header.mode,
        size: header.size,
        ...(header.linkname ? { linkTarget: header.linkname } : {}),
        read: async () => {
          read = true;
          const chunks: Buffer[] = [];
          try {
            for await (const chunk of entry) chunks.push(chunk as Buffer);
          } catch (error) {
            // Unpacking failed in the middle of this entry: its stream carries the error.
            throw unreadable(error);
          }
          return Buffer.concat(chunks);
        },
      };
      // The next header is parsed only once this entry's data has been drained.
      if (!read) entry.resume();
    }
    await unpacking;
  } catch (error) {
    throw unreadable(error);
  }
}

/** The error of an archive that cannot be unpacked; a limit's own error passes unchanged. */
function unreadable(error: unknown): WorkspaceInvalidError {
  if (error instanceof WorkspaceInvalidError) return error;
  return new WorkspaceInvalidError(
    `The .tar.gz cannot be read (${(error as Error).message}); it is damaged or cut short: create it again, e.g. git archive --format=tar.gz HEAD`,
    { cause: error },
  );
}

function kindOf(type: Header['type']): ArchiveEntryKind {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'folder';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      // Devices, FIFOs and types tar-stream does not know.
      return 'special';
  }
}

/** Passes bytes through, failing once more than `maxBytes` went by. */
function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.byteLength;
      if (seen > maxBytes) done(tooLarge(maxBytes));
      else done(null, chunk);
    },
  });
}

/** The error of an archive that unpacks to more than `maxBytes`. */
export function tooLarge(maxBytes: number): WorkspaceInvalidError {
  return new WorkspaceInvalidError(
    `The archive unpacks to more than ${formatMiB(maxBytes)}, the most a workspace archive may hold; leave build output, data and dependencies out of it (or list them in .gitignore and use git archive)`,
  );
}

function formatMiB(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 100) / 100} MiB`;
}
