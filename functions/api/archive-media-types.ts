/**
 * The media types a repository archive may be uploaded as (`POST /v1/workspaces`); which kind of
 * archive it is, is told by its first bytes. API Gateway must list them as binary media types, or it
 * hands Lambda the body as UTF-8 text, which mangles an archive.
 */
export const ARCHIVE_MEDIA_TYPES: readonly string[] = [
  'application/gzip',
  'application/x-gzip',
  'application/zip',
  'application/octet-stream',
];
