/**
 * `npm run bench:show [-- --minutes 3]`: figures for one show under the DEFAULT policies (poll every 10 s), not a
 * test. A show goes live on the embedded local stack and stays on air with nothing going wrong; over a steady
 * window the script counts the show's history events and the IVS API calls the whole system made, and scales
 * them to a show-hour and a show-minute. A burst of incidents follows to show history grows per change.
 */
import os from 'node:os';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { WorkflowHandle } from '@temporalio/client';
import { startPrivateLocalStack } from '../dev/stack/local-stack';
import { startShow } from '../client/start-show';
import { parseShowSpec } from '../show-spec/parse-show-spec';
import type { showWorkflow } from '../workflows';
import { endUpdate, participantTokensQuery, statusQuery } from '../contracts/show-messages';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function historyLength(handle: WorkflowHandle<typeof showWorkflow>): Promise<number> {
  return (await handle.describe()).historyLength;
}

export async function apiCalls(endpoint: string): Promise<{ total: number; byOperation: Record<string, number> }> {
  const metrics = (await (await fetch(`${endpoint}/_emulator/metrics`)).json()) as {
    api: Record<string, Record<string, { calls: number }>>;
  };
  const byOperation: Record<string, number> = {};
  let total = 0;
  for (const scope of Object.values(metrics.api)) {
    for (const [op, m] of Object.entries(scope)) {
      byOperation[op] = (byOperation[op] ?? 0) + m.calls;
      total += m.calls;
    }
  }
  return { total, byOperation };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '3' },
      out: { type: 'string', default: 'bench/results/show-figures.md' },
    },
  });
  const minutes = Number(values.minutes);
  if (!(minutes >= 1)) throw new Error('--minutes must be at least 1');
  const stack = await startPrivateLocalStack((line) => console.error(line));
  try {
    await stack.s3.send(new CreateBucketCommand({ Bucket: 'bench-show-figures' }));
    const spec = parseShowSpec({
      id: `bench-${Date.now().toString(36)}`,
      name: 'History and API figures',
      schedule: { duration: `${minutes + 5}m`, leadTime: 0 },
      participants: [{ userId: 'host', role: 'host' }],
      composition: {
        channelArn: 'arn:aws:ivs:us-east-1:123456789012:channel/benchChannel1',
        recording: { bucket: 'bench-show-figures' },
      },
    });
    const handle = await startShow(stack.client, spec, {
      taskQueue: stack.taskQueue,
      monitorTaskQueue: stack.monitorTaskQueue,
    });
    for (;;) {
      if ((await handle.query(statusQuery)).phase === 'WAITING_FOR_PUBLISHER') break;
      await sleep(500);
    }
    const [token] = await handle.query(participantTokensQuery);
    await stack.control.join(token!.token, { publish: true });
    for (;;) {
      const s = await handle.query(statusQuery);
      if (s.phase === 'LIVE' && s.composition?.state === 'ACTIVE') break;
      await sleep(1000);
    }
    await sleep(15_000); // let the monitor settle into steady polling
    const startEvents = await historyLength(handle);
    const startCalls = await apiCalls(stack.emulator.endpoint);
    console.error(`steady window: ${minutes} min…`);
    await sleep(minutes * 60_000);
    const endEvents = await historyLength(handle);
    const endCalls = await apiCalls(stack.emulator.endpoint);
    const steadyEvents = endEvents - startEvents;
    const steadyCalls = endCalls.total - startCalls.total;
    const perOperation = Object.entries(endCalls.byOperation)
      .map(([op, n]) => [op, n - (startCalls.byOperation[op] ?? 0)] as const)
      .filter(([, n]) => n > 0);

    // Now a burst of state changes: each incident should cost a handful of events, not more.
    const beforeIncidents = await historyLength(handle);
    const live = await handle.query(statusQuery);
    await stack.control.setCompositionState({
      compositionArn: live.composition!.arn,
      state: 'RECONNECTING',
      destinationType: 'channel',
    });
    await sleep(12_000);
    await stack.control.setCompositionState({
      compositionArn: live.composition!.arn,
      state: 'ACTIVE',
      destinationType: 'channel',
    });
    await sleep(12_000);
    const perIncidentPair = (await historyLength(handle)) - beforeIncidents;
    await handle.executeUpdate(endUpdate, { args: [{ reason: 'bench over' }] });
    await stack.control.leave({ token: token!.token });
    await handle.result();

    const rows = [
      ['History events per show-hour (steady, no incidents)', ((steadyEvents / minutes) * 60).toFixed(1)],
      ['IVS API calls per show-minute (whole system, one show)', (steadyCalls / minutes).toFixed(1)],
      ['  of which', perOperation.map(([op, n]) => `${op} ${(n / minutes).toFixed(1)}/min`).join(', ') || '—'],
      ['History events for one RECONNECTING → ACTIVE incident pair', String(perIncidentPair)],
    ];
    const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`;
    const table = ['| figure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
    const report = `# Show figures (default policies)\n\nCommand: \`npm run bench:show -- --minutes ${minutes}\`\nMachine: ${machine}\nDate: ${new Date().toISOString()}\n\n${table}\n`;
    console.log(report);
    await mkdir(path.dirname(values.out), { recursive: true });
    await writeFile(values.out, report);
  } finally {
    await stack.stop();
  }
}

// Run as a script only: bench/history-bench.ts imports the helpers above.
if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
