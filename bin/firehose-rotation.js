#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's require hook, so the package needs no build step.
'use strict';
require('tsx/cjs');
require('../rotation/cli/main.ts')
  .main()
  .then((code) => {
    process.exitCode = code;
  });
