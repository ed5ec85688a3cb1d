import yauzl from 'yauzl';
import type { ArchiveEntry, ArchiveEntryKind } from './archive-entry.js';
import { WorkspaceInvalidError } from './workspace-invalid-error.js';

/** The version-made-by host of an entry whose external attributes hold a Unix mode. */
const UNIX_HOST = 3;
const TYPE_BITS = 0o170000;

/**
 * The entries of a `.zip` held in memory (a zip's directory is at its end, so it cannot be read as
 * a stream). Names are decoded as yauzl does (UTF-8 flag, Info-ZIP Unicode path, else CP437) but
 * not checked by yauzl, so the caller's refusal names the entry in its own words; backslashes are
 * kept for it to refuse. An encrypted or damaged archive rejects with `Workspace.Invalid`.
 */
export async function* zipEntries(archive: Buffer): AsyncGenerator<ArchiveEntry, void, undefined> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(archive, {
      lazyEntries: true,
      decodeStrings: false,
      strictFileNames: true,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw damaged(error);
  }
  try {
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true,
      );
      if (entry.isEncrypted()) {
        throw new WorkspaceInvalidError(
          `Archive entry "${name}" is encrypted; create the .zip without a password`,
        );
      }
      const unixMode = entry.versionMadeBy >> 8 === UNIX_HOST ? entry.externalFileAttributes >>> 16 : 0;
      yield {
        name,
        kind: kindOf(name, unixMode),
        mode: unixMode & 0o7777 || 0o644,
        size: entry.uncompressedSize,
        read: async () => {
          const chunks: Buffer[] = [];
          try {
            for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
          } catch (error) {
            throw damaged(error);
          }
          return Buffer.concat(chunks);
        },
      };
    }
  } catch (error) {
    if (error instanceof WorkspaceInvalidError) throw error;
    throw damaged(error);
  } finally {
    zip.close();
  }
}

function kindOf(name: string, unixMode: number): ArchiveEntryKind {
  const type = unixMode & TYPE_BITS;
  if (type === 0o120000) return 'symlink';
  if (name.endsWith('/') || type === 0o040000) return 'folder';
  // No Unix mode (a zip made on Windows) is a regular file.
  if (type === 0 || type === 0o100000) return 'file';
  return 'special';
}

function damaged(error: unknown): WorkspaceInvalidError {
  return new WorkspaceInvalidError(
    `The .zip cannot be read (${(error as Error).message}); it is damaged or cut short: create it again`,
    { cause: error },
  );
}
