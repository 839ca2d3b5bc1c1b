#!/usr/bin/env node
// The comments server's command line, compiled by `npm run build` into dist/.
import '../dist/cli.js';
