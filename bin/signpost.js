#!/usr/bin/env node
// The `signpost` command. The TypeScript is built to dist/ by `npm run build` (run by npm start and npm test).
require('../dist/src/cli/main.js');
