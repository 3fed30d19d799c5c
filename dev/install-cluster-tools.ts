import { findPostgresBinDir } from './services/postgres';
import { resolveTemporalServerTool, type TemporalServerTool } from './tools/ensure-temporal-server';
import { toolSpec } from './tools/tool-versions';
import { runSetup, versionOutput } from './tools/version-output';

/**
 * `npm run setup:cluster`: builds (first time: minutes) or locates the Temporal server, its SQL schema tool and the
 * Web UI server at their pinned versions, and checks PostgreSQL's server binaries, so the first
 * `SHOWRUNNER_TEMPORAL=cluster npm test` doesn't have to.
 */
async function main(): Promise<void> {
  for (const name of ['temporal-server', 'temporal-sql-tool', 'temporal-ui-server'] as TemporalServerTool[]) {
    const started = Date.now();
    const tool = await resolveTemporalServerTool(name);
    const took = tool.source === 'built' ? ` in ${Math.round((Date.now() - started) / 1000)}s` : '';
    console.log(`${name.padEnd(19)} ${tool.path} (${tool.source}${took})`);
    console.log(`${''.padEnd(19)} pinned ${toolSpec(name).version}; reports: ${versionOutput(tool.path)}`);
  }
  console.log(`${'postgresql'.padEnd(19)} ${findPostgresBinDir()}`);
}

runSetup(main);
