import { resolveTemporalCli } from './tools/ensure-temporal-cli';
import { resolveVersitygw } from './tools/ensure-versitygw';
import { toolSpec } from './tools/tool-versions';
import { runSetup, versionOutput } from './tools/version-output';

/** `npm run setup:tools`: builds or locates the pinned external tools so the first `npm test` doesn't have to. */
async function main(): Promise<void> {
  const temporal = await resolveTemporalCli();
  const versitygw = await resolveVersitygw();
  console.log(`temporal   ${temporal.path} (${temporal.source})`);
  console.log(`           pinned ${toolSpec('temporal').version}; reports: ${versionOutput(temporal.path)}`);
  console.log(`versitygw  ${versitygw.path} (${versitygw.source})`);
  // `go install` builds carry no version stamp (versitygw reports "git"), so the pin is the source of truth.
  console.log(`           pinned ${toolSpec('versitygw').version}; reports: ${versionOutput(versitygw.path)}`);
}

runSetup(main);
