/**
 * The files of one run's workspace as an agent's tools see them: the snapshot the run started from
 * with the run's change set over it. Paths are workspace-relative POSIX paths (`src/median.js`),
 * already checked to stay inside the workspace by the caller (see `functions/workspaces/paths.ts`).
 * Writes go to the change set only: the snapshot, and the user's folder it came from, never change.
 */
export interface WorkspaceFiles {
  /** The file's text; undefined when there is no such file (or the change set deleted it). */
  read(path: string): Promise<string | undefined>;
  /** Creates or replaces the file in the change set. */
  write(path: string, content: string): Promise<void>;
  /** Every file path, sorted, the change set's new files included and its deletions left out. */
  list(): Promise<readonly string[]>;
}
