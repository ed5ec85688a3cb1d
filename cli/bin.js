#!/usr/bin/env node
// The `elexirion` command. Plain JavaScript so it can check the Node version before loading the
// command: the bundle `npm ci` built (dist/cli.mjs, see cli/build.js) while it is up to date with the
// sources, else the TypeScript sources through tsx, so an edited source takes effect at once.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(
    `elexirion needs Node.js 22 or newer; this is ${process.version}.\n` +
      'Run it as `npx elexirion …` inside the project (npm ci installs Node 22 as a dev dependency),\n' +
      'or install Node.js 22+.\n',
  );
  process.exit(2);
}
// Under npm (`npx elexirion …`, npm scripts) a shell can stand between npm and this process; npm
// forwards SIGINT and SIGTERM to it, and a shell such as dash then ends without passing SIGTERM on,
// leaving this process behind (.npmrc picks bash, which does not stay in between, but a user's
// script-shell wins). So once the process that started this one is gone, stop as on SIGTERM: the
// dev server closes its port and ends its runs; other commands end at once.
if (process.env.npm_lifecycle_event !== undefined) {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  watch.unref();
}
const { fileURLToPath, pathToFileURL } = await import('node:url');
const { freshBundle } = await import('./launch.js');
const bundle = freshBundle(fileURLToPath(new URL('..', import.meta.url)), process.env);
let main;
if (bundle) {
  // Stack traces name the sources (dist/*.mjs.map).
  process.setSourceMapsEnabled(true);
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./main.ts'));
}
process.exitCode = await main(process.argv.slice(2), {
  out: process.stdout,
  err: process.stderr,
  env: process.env,
});
