#!/usr/bin/env node
// The `signpost` command. The TypeScript is built to dist/ by bin/build.js (npm install's prepare step, npm run build,
// and before npm start, npm run chat and npm run signpost when a source is newer than the build).
require('../dist/src/cli/main.js');
