import { log, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import {
  showRunKey,
  type JanitorActivities,
  type JanitorResourceKind,
  type ShowRunRef,
  type ShowrunnerResource,
  type ShowWorkflowState,
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
  /**
   * What earlier sweeps found without a show (ARN → first seen, ISO), for a run started outside the Schedule
   * (`showrunner janitor run` passes the Schedule's last result). Runs of the Schedule read it from the previous
   * run's result themselves (workflowInfo().lastResult), and the two are merged.
   */
  notFoundSince?: Record<string, string>;
}

export interface JanitorOrphan {
  kind: JanitorResourceKind;
  region: string;
  /** The account it is in, when not the worker's own. */
  account?: string;
  arn: string;
  showWorkflowId: string;
  runKey: string;
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
  failed: { region: string; account?: string; kind?: JanitorResourceKind; arn?: string; error: string }[];
  /**
   * Resources of ours whose show execution was not found, ARN → when a sweep first saw that: the memory the next
   * sweep judges by (a Schedule hands a run's result to the next run). Capped at MAX_REMEMBERED entries.
   */
  notFoundSince: Record<string, string>;
}

const DEFAULT_MAX_REMOVALS = 500;
/** Removal order mirrors a show's own tidy-up: what feeds a stage goes before the stage. */
const REMOVAL_ORDER: JanitorResourceKind[] = ['composition', 'ingestConfiguration', 'stage', 'publicKey'];
const KIND_LABEL: Record<JanitorResourceKind, string> = {
  stage: 'stage',
  composition: 'composition',
  ingestConfiguration: 'ingest configuration',
  publicKey: 'public key',
};

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;
/** A scan pages through a whole region: minutes, not seconds, and a few attempts before the run reports it. */
const scanWithSummary = (summary: string) =>
  proxyActivities<JanitorActivities>({
    summary,
    startToCloseTimeout: '5 minutes',
    retry: { ...retry, maximumAttempts: 5 },
  });
/** One removal retries for a while (outages, throttling); what still fails is left for the next run. */
const removalWithSummary = (summary: string) =>
  proxyActivities<JanitorActivities>({
    summary,
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: '10 minutes',
    retry,
  });

type Verdict = { orphan: true; reason: string } | { orphan: false; reason: string };

/** Enough for a large fleet's leftovers while keeping a run's result (and the next run's input) small. */
export const MAX_REMEMBERED = 5_000;

/**
 * Whether a resource of ours may go. Tags are only a claim (anyone allowed to tag could write them; the IAM
 * condition in deploy/README.md is what stops that), so a resource counts as a show's only if its tags name a
 * workflow ID *and* a run key (first execution run ID) that exist together in this namespace.
 *
 * The grace period is measured from the last moment the resource is known to have been in use: its show's
 * close time (from Temporal). A resource whose show execution is not found has no such moment: it may be a
 * show of another namespace or deployment, retention may have removed its history, or the janitor may be
 * pointed at the wrong namespace. So "not found" is only a suspicion: the first sweep that sees it records the
 * time (`notFoundSince`, handed to the next run), and it becomes an orphan only once an *earlier* sweep saw it
 * and the grace period has passed since. A misconfigured janitor therefore removes nothing on its first run,
 * and an operator has at least one interval to notice the report.
 */
export function judge(
  r: ShowrunnerResource,
  show: ShowWorkflowState | undefined,
  notFoundSince: string | undefined,
  now: number,
  graceMs: number,
): Verdict {
  if (r.kept) return { orphan: false, reason: 'kept deliberately (showrunner:keep)' };
  if (!r.showWorkflowId || !r.runKey)
    return { orphan: false, reason: 'tagged as Showrunner’s but names no show run (workflow-id and run-key)' };
  if (!show) return { orphan: false, reason: 'show workflow state unknown (describing it failed)' };
  if (show.status === 'RUNNING') return { orphan: false, reason: `show workflow is ${show.detail}` };
  if (show.status === 'CLOSED') {
    const closedFor = now - Date.parse(show.closedAt);
    if (closedFor < graceMs)
      return { orphan: false, reason: `show workflow ${show.detail} at ${show.closedAt}: within the grace period` };
    return { orphan: true, reason: `show workflow ${show.detail} at ${show.closedAt}` };
  }
  if (!notFoundSince || Date.parse(notFoundSince) >= now)
    return {
      orphan: false,
      reason: `show run not found (${show.detail}): first seen now; an orphan only if a later sweep still finds no run`,
    };
  if (now - Date.parse(notFoundSince) < graceMs)
    return {
      orphan: false,
      reason: `show run not found (${show.detail}) since ${notFoundSince}: within the grace period`,
    };
  return { orphan: true, reason: `show run not found (${show.detail}) since ${notFoundSince} (an earlier sweep)` };
}

/** The previous run's memory: from the Schedule's last completion result, merged with the input's. */
function previousNotFound(input: JanitorInput): Record<string, string> {
  const merged: Record<string, string> = {};
  const last = workflowInfo().lastResult as Partial<JanitorReport> | undefined;
  for (const source of [last?.notFoundSince, input.notFoundSince]) {
    if (!source || typeof source !== 'object') continue;
    for (const [arn, at] of Object.entries(source)) {
      if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) continue;
      const earlier = merged[arn];
      if (earlier === undefined || Date.parse(at) < Date.parse(earlier)) merged[arn] = at;
    }
  }
  return merged;
}

/**
 * Sweeps IVS — every region given, with the worker's own credentials and in every account of
 * SHOWRUNNER_AWS_ACCOUNTS — for resources tagged as Showrunner's that outlived their show (a show terminated
 * before its tidy-up, a tidy-up that gave up during an outage) and removes them. Never touches what is not
 * tagged `showrunner:managed`, what names no show run that exists, what belongs to a show still running, or what
 * carries `showrunner:keep`. Meant to run from a Schedule (client/janitor-schedule.ts), which hands each run the
 * previous run's result: that is how "not found" becomes an orphan only on a later sweep.
 */
export async function janitorWorkflow(input: JanitorInput): Promise<JanitorReport> {
  const report: JanitorReport = {
    dryRun: input.dryRun,
    scanned: { stages: 0, compositions: 0, ingestConfigurations: 0 },
    orphans: [],
    removed: [],
    skipped: [],
    failed: [],
    notFoundSince: {},
  };
  let phase = 'scanning';
  const refresh = () => setCurrentDetails(janitorDetailsMarkdown(input, report, phase));
  refresh();
  const previous = previousNotFound(input);

  const found: ShowrunnerResource[] = [];
  for (const region of input.regions) {
    try {
      const result = await scanWithSummary(`List Showrunner's resources in ${region}`).findShowrunnerResources({
        region,
      });
      report.scanned.stages += result.scanned.stages;
      report.scanned.compositions += result.scanned.compositions;
      report.scanned.ingestConfigurations += result.scanned.ingestConfigurations;
      found.push(...result.resources);
      for (const f of result.failed ?? [])
        report.failed.push({ region, account: f.account, error: `scan failed: ${f.error}` });
    } catch (e) {
      report.failed.push({ region, error: `scan failed: ${rootMessage(e)}` });
      log.warn('janitor scan failed', { region, error: rootMessage(e) });
    }
  }

  // Kept resources need no lookup; every other show run is described once, in one activity.
  const refs = new Map<string, ShowRunRef>();
  for (const r of found)
    if (!r.kept && r.showWorkflowId && r.runKey) {
      const ref = { workflowId: r.showWorkflowId, runKey: r.runKey };
      refs.set(showRunKey(ref), ref);
    }
  let shows: Record<string, ShowWorkflowState> = {};
  if (refs.size > 0) {
    try {
      shows = await scanWithSummary(`Look up ${refs.size} show workflows`).showWorkflowStates({
        shows: [...refs.values()],
      });
    } catch (e) {
      // Without knowing which shows are over, nothing may go: every resource is reported as skipped below.
      report.failed.push({ region: '*', error: `describing show workflows failed: ${rootMessage(e)}` });
    }
  }

  const now = Date.now();
  const nowIso = new Date(now).toISOString();
  for (const r of found) {
    const show =
      r.showWorkflowId && r.runKey ? shows[showRunKey({ workflowId: r.showWorkflowId, runKey: r.runKey })] : undefined;
    const since = previous[r.arn];
    if (!r.kept && show?.status === 'NOT_FOUND' && Object.keys(report.notFoundSince).length < MAX_REMEMBERED)
      report.notFoundSince[r.arn] = since ?? nowIso;
    const verdict = judge(r, show, since, now, input.gracePeriodMs);
    const where = { kind: r.kind, region: r.region, ...(r.account ? { account: r.account } : {}), arn: r.arn };
    if (verdict.orphan)
      report.orphans.push({ ...where, showWorkflowId: r.showWorkflowId!, runKey: r.runKey!, reason: verdict.reason });
    else report.skipped.push({ ...where, showWorkflowId: r.showWorkflowId, reason: verdict.reason });
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
        const result = await removalWithSummary(
          `Remove orphaned ${KIND_LABEL[orphan.kind]} ${orphan.arn}`,
        ).removeResource({
          region: orphan.region,
          ...(orphan.account ? { account: orphan.account } : {}),
          kind: orphan.kind,
          arn: orphan.arn,
          showWorkflowId: orphan.showWorkflowId,
          runKey: orphan.runKey,
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
    `| Grace period | ${Math.round(input.gracePeriodMs / 1000)} s after the show closed (or was first not found) |`,
    `| Scanned | ${s.stages} stages, ${s.compositions} live compositions, ${s.ingestConfigurations} ingest configurations |`,
    `| Orphans | ${report.orphans.length}${report.dryRun ? ' (dry run: nothing removed)' : ''} |`,
    `| Removed | ${report.removed.length} |`,
    `| Skipped | ${report.skipped.length} |`,
    `| Failed | ${report.failed.length} |`,
    `| Show run not found | ${Object.keys(report.notFoundSince).length} (orphans once a later sweep confirms) |`,
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
