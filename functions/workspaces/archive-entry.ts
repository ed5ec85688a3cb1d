/** What an archive entry is: only files and folders may become part of a workspace. */
export type ArchiveEntryKind = 'file' | 'folder' | 'symlink' | 'hardlink' | 'special';

/** One entry of a `.tar.gz` or `.zip`, as its format's reader yields it, before any check. */
export interface ArchiveEntry {
  /** The entry's name exactly as the archive stores it (checked by the caller). */
  readonly name: string;
  readonly kind: ArchiveEntryKind;
  /** Permission bits as stored (0o644 when the archive stores none). */
  readonly mode: number;
  /** Uncompressed size as the entry's header states it. */
  readonly size: number;
  /** A link's target, to name it when the link is refused. */
  readonly linkTarget?: string;
  /**
   * Reads a file's content. Call it before asking for the next entry (a tar is read as a stream),
   * at most once; an entry not read is skipped over.
   */
  read(): Promise<Buffer>;
}
