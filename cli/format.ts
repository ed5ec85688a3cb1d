/** Formatting shared by the commands that print runs. */

/** `$0.0123`, with enough digits for sub-cent LLM costs. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(usd !== 0 && usd < 0.01 ? 6 : 4)}`;
}

/** `1.23s` from milliseconds. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

/** `120→48 tok`: input then output tokens. */
export function formatTokens(input: number, output: number): string {
  return `${input}→${output} tok`;
}

/** Duration between two ISO timestamps, or `-` while the run goes on. */
export function formatDuration(startedAt: string, finishedAt: string | undefined): string {
  return finishedAt ? formatSeconds(Date.parse(finishedAt) - Date.parse(startedAt)) : '-';
}

/** Left-aligned columns, two spaces apart. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows.reduce<number[]>(
    (max, row) => row.map((cell, i) => Math.max(max[i] ?? 0, cell.length)),
    [],
  );
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
