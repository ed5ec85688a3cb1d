import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { type Header, pack } from 'tar-stream';
import { ZipFile } from 'yazl';

/** An entry of a test archive: a file's content, or a header of another kind. */
export interface TestEntry {
  readonly name: string;
  readonly content?: string | Buffer;
  readonly type?: Header['type'];
  readonly linkname?: string;
  readonly mode?: number;
}

/** A `.tar.gz` of the entries, built with tar-stream as a user's tar would write it. */
export async function tarGz(entries: readonly TestEntry[]): Promise<Buffer> {
  const tar = pack();
  for (const entry of entries) {
    const content = entry.content ?? '';
    tar.entry(
      {
        name: entry.name,
        type: entry.type ?? 'file',
        mode: entry.mode ?? 0o644,
        ...(entry.linkname === undefined ? {} : { linkname: entry.linkname }),
      },
      entry.type === undefined || entry.type === 'file' ? content : '',
    );
  }
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

/** A `.zip` of the entries, built with yazl; a symbolic link is a Unix-mode entry holding its target. */
export async function zip(entries: readonly TestEntry[]): Promise<Buffer> {
  const archive = new ZipFile();
  for (const entry of entries) {
    if (entry.type === 'symlink') {
      archive.addBuffer(Buffer.from(entry.linkname ?? ''), entry.name, { mode: 0o120777 });
    } else if (entry.type === 'directory') {
      archive.addEmptyDirectory(entry.name);
    } else {
      archive.addBuffer(Buffer.from(entry.content ?? ''), entry.name, {
        mode: 0o100000 | (entry.mode ?? 0o644),
      });
    }
  }
  archive.end();
  const chunks: Buffer[] = [];
  for await (const chunk of archive.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The bytes as a stream arriving in small chunks, as an upload does. */
export function upload(bytes: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.byteLength; start += 3) chunks.push(bytes.subarray(start, start + 3));
  return Readable.from(chunks);
}
