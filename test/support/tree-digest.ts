import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A digest of a folder tree: every entry's path, type, mode and content (a link's target), so two
 * digests are equal only when the tree is byte for byte the same. Asserts a folder was not written.
 */
export async function treeDigest(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const name of (await readdir(folder)).sort()) {
      const path = join(folder, name);
      const info = await lstat(path);
      hash.update(`${prefix}${name}\0${info.mode}\0`);
      if (info.isDirectory()) await walk(path, `${prefix}${name}/`);
      else if (info.isSymbolicLink()) hash.update(await readlink(path));
      else hash.update(await readFile(path));
    }
  };
  await walk(dir, '');
  return hash.digest('hex');
}
