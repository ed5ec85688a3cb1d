/** Types of cli/launch.js (plain JavaScript, as cli/bin.js loads it before any TypeScript). */

/** The bundle, relative to the project root. */
export declare const BUNDLE_FILE: string;

/** `{startedAt, inputs}`: when the build began (ms) and the source files it bundled (root-relative). */
export declare const MANIFEST_FILE: string;

/** The absolute path of the bundle while it is up to date with its sources, else undefined. */
export declare function freshBundle(
  root: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined;
