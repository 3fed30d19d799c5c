import { execFileSync } from 'node:child_process';
import { findPostgresBinDir } from './services/postgres';
import { resolveTemporalServerTool, type TemporalServerTool } from './tools/ensure-temporal-server';
import { toolSpec } from './tools/tool-versions';

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

function versionOutput(binary: string): string {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim().replace(/\s+/g, ' ');
  } catch (error) {
    return `(--version failed: ${(error as Error).message})`;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
