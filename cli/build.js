// Bundles the `elexirion` command (cli/main.ts and every source file it imports) into dist/cli.mjs,
// so that starting the command loads plain JavaScript instead of transpiling the TypeScript sources
// with tsx. Each command's module is a chunk beside it (dist/*-HASH.mjs), loaded when that command
// runs, so `--version` and `--help` do not load the AWS SDK and the emulators. `npm ci` runs this as the `prepare` script, `npm test` as `pretest`;
// `npm run build:cli` runs it by hand. Packages stay external: the bundle imports them from
// node_modules, as the sources do.
//
// Last it writes dist/cli.manifest.json: when the build started and the source files it read.
// cli/bin.js runs the bundle only while none of them changed since (see cli/launch.js).
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_FILE, MANIFEST_FILE } from './launch.js';

// esbuild is a dev dependency: an install without them (npm ci --omit=dev) has no bundle, and
// `elexirion` runs the sources through tsx, as it does whenever the bundle is missing or stale.
const esbuild = await import('esbuild').catch(() => undefined);
if (!esbuild) {
  process.stdout.write(`esbuild is not installed: no ${BUNDLE_FILE}; elexirion runs its sources with tsx\n`);
  process.exit(0);
}
const { build } = esbuild;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, BUNDLE_FILE);
const outdir = dirname(outfile);
/** Before any source is read: a source saved after this makes the bundle stale. */
const startedAt = Date.now();

/**
 * Keeps `import.meta.url` the URL of each source file rather than the bundle's, as sources find
 * files beside them with `new URL('./x.json', import.meta.url)`. The URL is computed from the
 * bundle's own, so a moved checkout keeps working.
 */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.split(sep).includes('node_modules')) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      // Every chunk is in outdir, beside the entry.
      const fromBundle = relative(outdir, args.path).split(sep).join('/');
      const own = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', own), loader: 'ts' };
    });
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: { [basename(outfile, '.mjs')]: 'cli/main.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: '[name]-[hash]',
  splitting: true,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  sourcemap: 'linked',
  metafile: true,
  write: false,
  logLevel: 'warning',
  plugins: [ownImportMetaUrl],
});

const inputs = Object.keys(result.metafile.inputs)
  .filter((input) => !input.split('/').includes('node_modules'))
  .sort();
await mkdir(outdir, { recursive: true });
// The chunks before the entry that imports them, each file replaced whole; the manifest last, as the
// mark of a complete build; then the chunks of earlier builds go.
const written = new Set([basename(MANIFEST_FILE)]);
const outputs = [...result.outputFiles].sort(
  (a, b) => Number(a.path === outfile) - Number(b.path === outfile),
);
for (const file of outputs) {
  await writeFile(`${file.path}.tmp`, file.contents);
  await rename(`${file.path}.tmp`, file.path);
  written.add(basename(file.path));
}
await writeFile(join(root, MANIFEST_FILE), `${JSON.stringify({ startedAt, inputs }, null, 1)}\n`);
for (const name of await readdir(outdir)) {
  if (!written.has(name)) await rm(join(outdir, name), { force: true });
}
process.stdout.write(`built ${BUNDLE_FILE} from ${inputs.length} source files\n`);
