import { log, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type {
  JanitorActivities,
  JanitorResourceKind,
  ShowrunnerResource,
  ShowWorkflowState,
} from '../contracts/janitor';
import { rootMessage } from '../contracts/errors';

export interface JanitorInput {
  /** IVS regions to sweep. */
  regions: string[];
  /** How long after its show's workflow closed a resource is left alone (see janitorWorkflow). */
  gracePeriodMs: number;
  /** Find and report, remove nothing. */
  dryRun: boolean;
  /** At most this many removals per run (default 500): bounds the history and the damage of a mistake. */
  maxRemovals?: number;
}

export interface JanitorOrphan {
  kind: JanitorResourceKind;
  region: string;
  arn: string;
  showWorkflowId: string;
  reason: string;
}

export interface JanitorReport {
  dryRun: boolean;
  scanned: { stages: number; compositions: number; ingestConfigurations: number };
  /** Showrunner's resources whose show is over (grace period included); in a dry run, what would be removed. */
  orphans: JanitorOrphan[];
  /** `gone` means it vanished between the scan and the removal. */
  removed: (JanitorOrphan & { outcome: 'removed' | 'gone' })[];
  /** Showrunner's resources left alone on purpose: show running, kept, within the grace period, re-tagged... */
  skipped: { kind: JanitorResourceKind; region: string; arn: string; showWorkflowId?: string; reason: string }[];
  /** Scans or removals that failed after retries; the next run tries again. */
  failed: { region: string; kind?: JanitorResourceKind; arn?: string; error: string }[];
}

const DEFAULT_MAX_REMOVALS = 500;
/** Removal order mirrors a show's own tidy-up: what feeds a stage goes before the stage. */
const REMOVAL_ORDER: JanitorResourceKind[] = ['composition', 'ingestConfiguration', 'stage'];
const KIND_LABEL: Record<JanitorResourceKind, string> = {
  stage: 'stage',
  composition: 'composition',
  ingestConfiguration: 'ingest configuration',
};

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;
/** A scan pages through a whole region: minutes, not seconds, and a few attempts before the run reports it. */
const scan = proxyActivities<JanitorActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { ...retry, maximumAttempts: 5 },
});
/** One removal retries for a while (outages, throttling); what still fails is left for the next run. */
const removal = proxyActivities<JanitorActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '10 minutes',
  retry,
});

type Verdict = { orphan: true; reason: string } | { orphan: false; reason: string };

/**
 * Whether a resource of ours may go. The grace period is measured from the last moment the resource is known
 * to have been in use: its show's close time (from Temporal, deterministic, no memory across runs needed).
 * A workflow ID that names no workflow at all (never started in this namespace, or closed longer ago than the
 * namespace's retention) has no close time: the resource's own creation time stands in when the API exposes
 * one (compositions' startTime); otherwise (stages, ingest configurations) it is an orphan at once.
 */
function judge(r: ShowrunnerResource, show: ShowWorkflowState | undefined, now: number, graceMs: number): Verdict {
  if (r.kept) return { orphan: false, reason: 'kept deliberately (showrunner:keep)' };
  if (!r.showWorkflowId) return { orphan: false, reason: 'tagged as Showrunner’s but names no workflow' };
  if (!show) return { orphan: false, reason: 'show workflow state unknown (describing it failed)' };
  if (show.status === 'RUNNING') return { orphan: false, reason: `show workflow is ${show.detail}` };
  if (show.status === 'CLOSED') {
    const closedFor = now - Date.parse(show.closedAt);
    if (closedFor < graceMs)
      return { orphan: false, reason: `show workflow ${show.detail} at ${show.closedAt}: within the grace period` };
    return { orphan: true, reason: `show workflow ${show.detail} at ${show.closedAt}` };
  }
  if (r.createdAt && now - Date.parse(r.createdAt) < graceMs)
    return { orphan: false, reason: `show workflow not found; created at ${r.createdAt}: within the grace period` };
  return { orphan: true, reason: 'show workflow not found' };
}

/**
 * Sweeps IVS for resources tagged as Showrunner's that outlived their show — a show terminated before its
 * tidy-up, a tidy-up that gave up during an outage — and removes them. Never touches what is not tagged
 * `showrunner:managed`, what belongs to a show still running, or what carries `showrunner:keep`. Meant to run
 * from a Schedule (client/janitor-schedule.ts); each run is independent.
 */
export async function janitorWorkflow(input: JanitorInput): Promise<JanitorReport> {
  const report: JanitorReport = {
    dryRun: input.dryRun,
    scanned: { stages: 0, compositions: 0, ingestConfigurations: 0 },
    orphans: [],
    removed: [],
    skipped: [],
    failed: [],
  };
  let phase = 'scanning';
  const refresh = () => setCurrentDetails(janitorDetailsMarkdown(input, report, phase));
  refresh();

  const found: ShowrunnerResource[] = [];
  for (const region of input.regions) {
    try {
      const result = await scan.findShowrunnerResources({ region });
      report.scanned.stages += result.scanned.stages;
      report.scanned.compositions += result.scanned.compositions;
      report.scanned.ingestConfigurations += result.scanned.ingestConfigurations;
      found.push(...result.resources);
    } catch (e) {
      report.failed.push({ region, error: `scan failed: ${rootMessage(e)}` });
      log.warn('janitor scan failed', { region, error: rootMessage(e) });
    }
  }

  // Kept resources need no lookup; every other workflow ID is described once, in one activity.
  const workflowIds = [...new Set(found.filter((r) => !r.kept && r.showWorkflowId).map((r) => r.showWorkflowId!))];
  let shows: Record<string, ShowWorkflowState> = {};
  if (workflowIds.length > 0) {
    try {
      shows = await scan.showWorkflowStates({ workflowIds });
    } catch (e) {
      // Without knowing which shows are over, nothing may go: every resource is reported as skipped below.
      report.failed.push({ region: '*', error: `describing show workflows failed: ${rootMessage(e)}` });
    }
  }

  const now = Date.now();
  for (const r of found) {
    const verdict = judge(r, r.showWorkflowId ? shows[r.showWorkflowId] : undefined, now, input.gracePeriodMs);
    if (verdict.orphan)
      report.orphans.push({
        kind: r.kind,
        region: r.region,
        arn: r.arn,
        showWorkflowId: r.showWorkflowId!,
        reason: verdict.reason,
      });
    else
      report.skipped.push({
        kind: r.kind,
        region: r.region,
        arn: r.arn,
        showWorkflowId: r.showWorkflowId,
        reason: verdict.reason,
      });
  }
  report.orphans.sort((a, b) => REMOVAL_ORDER.indexOf(a.kind) - REMOVAL_ORDER.indexOf(b.kind));

  if (!input.dryRun) {
    phase = 'removing';
    refresh();
    let budget = input.maxRemovals ?? DEFAULT_MAX_REMOVALS;
    for (const orphan of report.orphans) {
      if (budget-- <= 0) {
        report.skipped.push({ ...orphan, reason: 'removal budget of this run spent: the next run removes it' });
        continue;
      }
      try {
        const result = await removal.removeResource({
          region: orphan.region,
          kind: orphan.kind,
          arn: orphan.arn,
          showWorkflowId: orphan.showWorkflowId,
        });
        if (result.outcome === 'refused') report.skipped.push({ ...orphan, reason: result.reason });
        else report.removed.push({ ...orphan, outcome: result.outcome });
      } catch (e) {
        report.failed.push({ region: orphan.region, kind: orphan.kind, arn: orphan.arn, error: rootMessage(e) });
        log.warn('janitor removal failed', { arn: orphan.arn, error: rootMessage(e) });
      }
      refresh();
    }
  }
  phase = 'done';
  refresh();
  return report;
}

const MAX_LISTED = 20;

/** The Markdown the Web UI shows as the run's current details: what was found, done, and left alone and why. */
export function janitorDetailsMarkdown(input: JanitorInput, report: JanitorReport, phase: string): string {
  const s = report.scanned;
  const lines = [
    `## Janitor${report.dryRun ? ' (dry run)' : ''} — ${phase}`,
    '',
    `| | |`,
    `|---|---|`,
    `| Regions | ${input.regions.join(', ') || '—'} |`,
    `| Grace period | ${Math.round(input.gracePeriodMs / 1000)} s after the show closed |`,
    `| Scanned | ${s.stages} stages, ${s.compositions} live compositions, ${s.ingestConfigurations} ingest configurations |`,
    `| Orphans | ${report.orphans.length}${report.dryRun ? ' (dry run: nothing removed)' : ''} |`,
    `| Removed | ${report.removed.length} |`,
    `| Skipped | ${report.skipped.length} |`,
    `| Failed | ${report.failed.length} |`,
  ];
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push('', `### ${title}`, '');
    for (const item of items.slice(0, MAX_LISTED)) lines.push(`- ${item}`);
    if (items.length > MAX_LISTED) lines.push(`- … and ${items.length - MAX_LISTED} more (see the result)`);
  };
  section(
    report.dryRun ? 'Would remove' : 'Orphans',
    report.orphans.map((o) => `${KIND_LABEL[o.kind]} \`${o.arn}\` of \`${o.showWorkflowId}\`: ${o.reason}`),
  );
  section(
    'Failed',
    report.failed.map((f) => `${f.arn ? `${KIND_LABEL[f.kind!]} \`${f.arn}\`` : f.region}: ${f.error}`),
  );
  section(
    'Skipped',
    report.skipped.map((k) => `${KIND_LABEL[k.kind]} \`${k.arn}\`: ${k.reason}`),
  );
  return lines.join('\n');
}
