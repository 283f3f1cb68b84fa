// Lint: typescript-eslint's type-checked recommended rules on every TypeScript file, plus import
// restrictions that hold the layering (docs/architecture.md, whose table says the same):
//   rotation/core      pure: no AWS SDK, Pulumi or Powertools, and nothing from the layers above it
//   rotation/aws       I/O over core: none of handlers, cli, local (they build on it)
//   rotation/handlers  bundled into the Lambdas: nothing from cli or local
//   rotation/cli       core and aws: not the handlers, not the demo
//   rotation/local     the demo (`npm start`): anything in rotation/, the CLI's parsers included
//   rotation/*         never @pulumi/* nor components/ (they run in Lambda and the CLI)
//   components/        Pulumi + rotation/core only (no SDK client may load in the Pulumi process)
//   everything         never imports test/ (test support is for tests only)
// and no import circles (import-x/no-cycle): a module never reaches itself through its imports.
// import-x skips `import type` edges (they vanish at compile time), so a circle of types alone
// passes; the value graph is what it holds acyclic. It resolves relative `.ts` imports with its
// built-in resolver (no tsconfig paths here, so eslint-import-resolver-typescript is not needed).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const TEST = { group: ['**/test/**', '../test', '../../test'], message: 'only tests import test/.' };
const SDK = {
  group: ['@aws-sdk/*', '@smithy/*', '@aws-lambda-powertools/*'],
  message: 'AWS clients live in rotation/aws and rotation/handlers, not here.',
};
const PULUMI = {
  group: ['@pulumi/*'],
  message: 'rotation/ runs in Lambda and the CLI: Pulumi stays in components/.',
};
const ABOVE_CORE = {
  group: ['../aws/*', '../handlers/*', '../cli/*', '../local/*', '**/components/*'],
  message: 'rotation/core is the bottom layer: it imports only other core modules.',
};
const COMPONENTS = {
  group: ['**/components/*'],
  message: 'components/ is the Pulumi program: rotation/ never imports it.',
};
const ABOVE_AWS = {
  group: ['../handlers/*', '../cli/*', '../local/*'],
  message:
    'rotation/aws is the I/O layer the handlers, the CLI and the demo build on: it imports none of them.',
};
const HANDLER_APPS = {
  group: ['../cli/*', '../local/*'],
  message: 'handlers are bundled into the Lambdas: nothing from the CLI or the demo.',
};
const CLI_APPS = {
  group: ['../handlers/*', '../local/*'],
  message: 'the CLI drives rotation/aws itself, not through the handlers or the demo.',
};
const BESIDE_CORE = {
  group: ['**/rotation/aws/*', '**/rotation/handlers/*', '**/rotation/cli/*', '**/rotation/local/*'],
  message: 'components import only rotation/core (contracts and settings), never I/O modules.',
};

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default defineConfig(
  // bin/ and the mocha reporter are plain CommonJS shims outside tsconfig (no type information).
  { ignores: ['node_modules/', '.bundles/', 'bin/', 'test/support/counting-reporter.cjs'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  { files: ['eslint.config.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    // ignoreExternal: a package never imports our modules back, so walking into one finds nothing.
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  { files: ['**/*.ts'], ignores: ['test/**'], rules: restrict(TEST) },
  { files: ['rotation/core/**/*.ts'], rules: restrict(TEST, SDK, PULUMI, ABOVE_CORE) },
  { files: ['rotation/**/*.ts'], ignores: ['rotation/core/**'], rules: restrict(TEST, PULUMI, COMPONENTS) },
  { files: ['rotation/aws/**/*.ts'], rules: restrict(TEST, PULUMI, COMPONENTS, ABOVE_AWS) },
  { files: ['rotation/handlers/**/*.ts'], rules: restrict(TEST, PULUMI, COMPONENTS, HANDLER_APPS) },
  { files: ['rotation/cli/**/*.ts'], rules: restrict(TEST, PULUMI, COMPONENTS, CLI_APPS) },
  { files: ['components/**/*.ts', 'index.ts'], rules: restrict(TEST, SDK, BESIDE_CORE) },
  {
    // The IAM simulation's request ledger reads every SDK command's input and every Pulumi mock
    // resource's inputs generically (any command, any resource type): typing them would restate
    // the SDK's, the provider's and the simulator's input shapes for ~65 fields. Tests only; src
    // stays strict.
    files: [
      'test/support/request-ledger.ts',
      'test/support/iam-actions.ts',
      'test/iam/service-requests.ts',
      'test/iam/pipeline-under-test.ts',
      'test/iam/simulate.ts',
    ],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
