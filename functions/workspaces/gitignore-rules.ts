import ignore from 'ignore';

/**
 * The `.gitignore` files of a repository, nested ones included, deciding as git does: the deepest
 * file with a rule matching a path wins, and a `!pattern` there re-includes what a shallower file
 * ignored. Matching is case-sensitive, as git's is by default on Linux, so the decision does not
 * depend on the machine. A path inside an ignored folder is ignored too; callers test each folder
 * before what is inside it (a folder walk prunes it; {@link GitignoreRules.ignoredBy} on a file
 * tests its folders itself).
 */
export class GitignoreRules {
  /** Rules by the folder their `.gitignore` is in; `''` is the repository's top folder. */
  private readonly byFolder = new Map<string, ignore.Ignore>();

  /** Adds the rules of `folder/.gitignore`. */
  add(folder: string, content: string): void {
    this.byFolder.set(folder, ignore({ ignorecase: false }).add(content));
  }

  /**
   * Whether `path` is ignored: then what is (the path itself, or the folder it is in with a trailing
   * `/`, e.g. `dist/`) and the `.gitignore` that decided it (`src/.gitignore`); undefined when the
   * path is kept. `path` is normalized and relative; `isFolder` makes folder-only patterns match it.
   */
  ignoredBy(
    path: string,
    isFolder: boolean,
  ): { readonly ignored: string; readonly gitignore: string } | undefined {
    const segments = path.split('/');
    for (let depth = 1; depth < segments.length; depth += 1) {
      const folder = segments.slice(0, depth).join('/');
      const gitignore = this.decide(folder, true);
      if (gitignore !== undefined) return { ignored: `${folder}/`, gitignore };
    }
    const gitignore = this.decide(path, isFolder);
    return gitignore === undefined ? undefined : { ignored: isFolder ? `${path}/` : path, gitignore };
  }

  /** The deciding `.gitignore` for `path` alone, its folders not tested. */
  private decide(path: string, isFolder: boolean): string | undefined {
    const segments = path.split('/');
    let decidedBy: string | undefined;
    // From the top folder down: a deeper .gitignore overrides a shallower one.
    for (let depth = 0; depth < segments.length; depth += 1) {
      const folder = segments.slice(0, depth).join('/');
      const rules = this.byFolder.get(folder);
      if (rules === undefined) continue;
      const relative = segments.slice(depth).join('/') + (isFolder ? '/' : '');
      const { ignored, unignored } = rules.test(relative);
      if (ignored) decidedBy = folder === '' ? '.gitignore' : `${folder}/.gitignore`;
      else if (unignored) decidedBy = undefined;
    }
    return decidedBy;
  }
}
