#!/usr/bin/env node
// The package's `showrunner` bin. Registering tsx as `node --import tsx` does (ESM and CommonJS hooks) lets the
// TypeScript sources run as they are, including the commands' lazily imported modules. An .mjs file because the
// lint config lints .js files with type information, which a plain JS shim has none of.
import 'tsx';

// main.ts is CommonJS: its exports arrive as the default export.
const { default: cli } = await import('./main.ts');
cli.runCli();
