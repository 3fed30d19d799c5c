#!/usr/bin/env node
// The package's `showrunner` bin, compiled to dist/client/cli/bin.js by `npm run build` and run by plain node.
// In a checkout without a build, `npm run showrunner -- ...` runs the same CLI from the sources.
import { runCli } from './main';

runCli();
