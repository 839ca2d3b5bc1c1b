#!/usr/bin/env node
// The comments server, compiled by `npm run build` into dist/server/.
import '../dist/server/cli.js';
