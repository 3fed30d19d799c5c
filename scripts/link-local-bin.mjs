// `npm install` / `npm ci` (the `prepare` script): makes `npx showrunner …` work in a checkout. npm links the bins of
// dependencies, never the project's own, so without this `npx showrunner` finds nothing (and the package's bin,
// dist/client/cli/bin.js, exists only after `npm run build`). The shim runs the CLI from the sources with tsx, like
// `npm run showrunner -- …`, from any directory. An installed package (its bin from dist/) needs none of this, and a
// Docker build stage, which copies only the manifests before `npm ci`, has nothing to link.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const main = path.join(root, 'client', 'cli', 'main.ts');
if (fs.existsSync(tsx) && fs.existsSync(main)) {
  const shim = path.join(root, 'node_modules', '.bin', 'showrunner');
  const quote = (p) => `'${p.replaceAll("'", "'\\''")}'`;
  fs.writeFileSync(
    shim,
    `#!/bin/sh\n# Made by scripts/link-local-bin.mjs: the showrunner CLI from this checkout's sources.\nexec ${quote(tsx)} ${quote(main)} "$@"\n`,
    { mode: 0o755 },
  );
}
