// Bundles a Lambda handler with esbuild into its own fresh folder and ships that folder as the
// function's code. No closure serialization: the code that runs in Lambda is the code the tests
// import, compiled once, with every dependency pinned by package-lock.json inside the bundle (the
// SDK preinstalled in the Lambda runtime is a different, moving version).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { ArgumentError } from './validate';

const REPO_ROOT = path.resolve(__dirname, '..');
/** Gitignored; one sub-folder per function so a stale file of one bundle never ships in another. */
const BUNDLE_ROOT = path.join(REPO_ROOT, '.bundles');
/** The file name Lambda loads: the function's handler setting is `index.handler`. */
const BUNDLE_FILE = 'index.js';
export const HANDLER = 'index.handler';

export const HANDLER_ENTRIES = {
  router: path.join(REPO_ROOT, 'rotation', 'handlers', 'router.ts'),
  rotation: path.join(REPO_ROOT, 'rotation', 'handlers', 'rotate.ts'),
  placer: path.join(REPO_ROOT, 'rotation', 'handlers', 'placer.ts'),
} as const;

export interface BundleOptions {
  /** Where the `.bundles` folder lives; tests point it at a temporary directory. */
  root?: string;
}

/** The esbuild options every function is built with. */
function buildOptions(entry: string, outfile: string): esbuild.BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    platform: 'node',
    target: 'node22',
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'cjs',
    legalComments: 'none',
    logLevel: 'silent',
  };
}

/** esbuild's synchronous build, or a test's recorder of the options it is given. */
type Build = (options: esbuild.BuildOptions) => unknown;

/**
 * Bundles `entry` into `<root>/<name>/index.js` (+ source map) after wiping that folder, and
 * returns the folder as a FileArchive. Throws when the entry is missing or does not export
 * `handler`, so a wrong path fails at preview instead of as "handler is undefined" in Lambda.
 */
export function bundleHandler(
  name: string,
  entry: string,
  options: BundleOptions = {},
  build: Build = esbuild.buildSync,
): pulumi.asset.FileArchive {
  if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(name) || name.startsWith('.')) {
    throw new ArgumentError(
      'bundleHandler',
      'name',
      'must be 1-128 characters of [a-zA-Z0-9_.-], not starting with "."',
      name,
    );
  }
  if (!fs.existsSync(entry)) {
    throw new ArgumentError('bundleHandler', 'entry', 'must be an existing handler source file', entry);
  }
  assertExportsHandler(entry);
  const dir = path.join(options.root ?? BUNDLE_ROOT, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  try {
    build(buildOptions(entry, path.join(dir, BUNDLE_FILE)));
  } catch (err) {
    // esbuild's message already lists each error with file and line; say which function it was.
    throw new Error(`bundleHandler(${name}): esbuild failed for ${entry}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return new pulumi.asset.FileArchive(dir);
}

/** Reads the entry's export names without bundling its imports (esbuild reports them as ESM). */
function assertExportsHandler(entry: string): void {
  const { metafile } = esbuild.buildSync({
    entryPoints: [entry],
    bundle: false,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    outdir: 'unused',
  });
  const exported = Object.values(metafile.outputs).flatMap((output) => output.exports);
  if (!exported.includes('handler')) {
    throw new ArgumentError('bundleHandler', 'entry', 'must export `handler`', entry);
  }
}
