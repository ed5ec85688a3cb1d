/**
 * The `elexirion` commands of a `sh` block in a Markdown file, so a test can run a documented
 * walkthrough exactly as written. It understands the little shell such blocks use — `npx elexirion …`
 * lines, `for NAME in WORD…; do … done`, `\` line continuations, single and double quotes, `$NAME` and
 * `${NAME}`, `#` comments — and throws on anything else, so a changed walkthrough fails its test
 * rather than being run differently from what the reader sees.
 *
 * @example
 * const commands = elexirionCommands(readme, (block) => block.includes('elexirion optimize'));
 * for (const argv of commands) await runCli(argv, { cwd });
 */
export function elexirionCommands(markdown: string, pick: (block: string) => boolean): string[][] {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
  const chosen = blocks.filter(pick);
  if (chosen.length !== 1) throw new Error(`expected one sh block to pick, found ${chosen.length}`);
  const lines = (chosen[0] ?? '').replace(/\\\n/g, ' ').split('\n');
  return run(
    lines.map((line) => line.trim()).filter((line) => line !== ''),
    {},
  );
}

function run(lines: readonly string[], vars: Readonly<Record<string, string>>): string[][] {
  const commands: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const loop = /^for ([A-Za-z_]\w*) in (.*); do$/.exec(line);
    if (loop) {
      const end = lines.indexOf('done', i);
      if (end < 0) throw new Error(`no "done" for: ${line}`);
      const [, name = '', list = ''] = loop;
      for (const value of words(list, vars))
        commands.push(...run(lines.slice(i + 1, end), { ...vars, [name]: value }));
      i = end;
      continue;
    }
    const argv = words(line, vars);
    if (argv.length === 0) continue; // a comment
    if (argv[0] !== 'npx' || argv[1] !== 'elexirion') throw new Error(`not an elexirion command: ${line}`);
    commands.push(argv.slice(2));
  }
  return commands;
}

/** The words of a command line after quote removal and variable expansion. */
function words(line: string, vars: Readonly<Record<string, string>>): string[] {
  const result: string[] = [];
  let word: string | undefined;
  const expand = (text: string) =>
    text.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (_, name: string) => {
      const value = vars[name];
      if (value === undefined) throw new Error(`$${name} is not set in: ${line}`);
      return value;
    });
  for (const [token = ''] of line.matchAll(/"(?:[^"\\]|\\.)*"|'[^']*'|\s+|[^\s"']+/g)) {
    if (/^\s/.test(token)) {
      if (word !== undefined) result.push(word);
      word = undefined;
    } else if (token.startsWith('#') && word === undefined) {
      break; // a comment runs to the end of the line
    } else if (token.startsWith("'")) {
      word = (word ?? '') + token.slice(1, -1);
    } else if (token.startsWith('"')) {
      word = (word ?? '') + expand(token.slice(1, -1).replace(/\\(["\\$`])/g, '$1'));
    } else {
      if (/[;&|<>()`]/.test(token))
        throw new Error(`shell syntax the walkthrough test does not run: ${line}`);
      word = (word ?? '') + expand(token);
    }
  }
  if (word !== undefined) result.push(word);
  return result;
}
