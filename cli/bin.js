#!/usr/bin/env node
// The `elexirion` command. Plain JavaScript so it can check the Node version before loading the
// TypeScript sources through tsx.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(
    `elexirion needs Node.js 22 or newer; this is ${process.version}.\n` +
      'Run it as `npx elexirion …` inside the project (npm ci installs Node 22 as a dev dependency),\n' +
      'or install Node.js 22+.\n',
  );
  process.exit(2);
}
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2), {
  out: process.stdout,
  err: process.stderr,
  env: process.env,
});
