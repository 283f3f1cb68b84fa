import { expect } from 'chai';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import type * as esbuild from 'esbuild';
import { bundleHandler, HANDLER_ENTRIES } from '../../components/bundle';
import { loadModule } from '../support/load-module';
import { BUNDLE_ROOT, FIXTURE_HANDLER } from './mocks';

/** Module names a bundle still requires at run time (minified: `require("x")`). */
function runtimeRequires(code: string): string[] {
  return [...new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))].sort();
}

describe('bundleHandler', () => {
  it('builds with the agreed esbuild options', () => {
    const builds: esbuild.BuildOptions[] = [];
    bundleHandler('fixture', FIXTURE_HANDLER, { root: BUNDLE_ROOT }, (options) => builds.push(options));
    expect(builds).to.have.length(1);
    expect(builds[0]).to.deep.equal({
      entryPoints: [FIXTURE_HANDLER],
      outfile: path.join(BUNDLE_ROOT, 'fixture', 'index.js'),
      platform: 'node',
      target: 'node22',
      bundle: true,
      minify: true,
      sourcemap: true,
      format: 'cjs',
      legalComments: 'none',
      logLevel: 'silent',
    });
  });

  it('writes index.js and its source map into a fresh folder and returns that folder', async () => {
    const dir = path.join(BUNDLE_ROOT, 'fixture');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'stale.js'), 'old');
    const archive = bundleHandler('fixture', FIXTURE_HANDLER, { root: BUNDLE_ROOT });
    expect(await archive.path).to.equal(dir);
    expect(fs.readdirSync(dir).sort()).to.deep.equal(['index.js', 'index.js.map']);
    const code = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
    expect(runtimeRequires(code), 'luxon is inlined').to.deep.equal([]);
    const { handler } = loadModule<{ handler: () => Promise<string> }>(path.join(dir, 'index.js'));
    expect(await handler()).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  const invalid: [string, string, string][] = [
    [
      '../escape',
      FIXTURE_HANDLER,
      'bundleHandler: name must be 1-128 characters of [a-zA-Z0-9_.-], not starting with "." (got "../escape")',
    ],
    [
      '.hidden',
      FIXTURE_HANDLER,
      'bundleHandler: name must be 1-128 characters of [a-zA-Z0-9_.-], not starting with "." (got ".hidden")',
    ],
    [
      'ok',
      path.join(__dirname, 'nope.ts'),
      `bundleHandler: entry must be an existing handler source file (got "${path.join(__dirname, 'nope.ts')}")`,
    ],
  ];
  for (const [name, entry, message] of invalid) {
    it(`rejects name ${name} / entry ${path.basename(entry)}`, () => {
      expect(() => bundleHandler(name, entry, { root: BUNDLE_ROOT })).to.throw(message);
    });
  }

  for (const [fn, entry] of Object.entries(HANDLER_ENTRIES)) {
    it(`bundles the real ${fn} handler with every dependency inside (only Node built-ins stay external)`, () => {
      bundleHandler(`real-${fn}`, entry, { root: BUNDLE_ROOT });
      const code = fs.readFileSync(path.join(BUNDLE_ROOT, `real-${fn}`, 'index.js'), 'utf8');
      const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
      // The one match is not a call: the SDK's error text for SigV4a tells users to add
      // `require("@aws-sdk/signature-v4-crt")` themselves.
      const external = runtimeRequires(code).filter((m) => !builtins.has(m));
      expect(external).to.deep.equal(['@aws-sdk/signature-v4-crt']);
      expect(code).to.include('sourceMappingURL=index.js.map');
    });
  }
});
