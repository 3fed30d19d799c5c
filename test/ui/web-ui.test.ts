import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startShow } from '../../client/start-show';
import { freshChannelArn, LOCAL_STACK_BUCKET } from '../../dev/aws/local-aws';
import { findChromium } from '../../dev/browser/find-chromium';
import { startPrivateLocalStack, type LocalStack } from '../../dev/stack/local-stack';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import type { showWorkflow } from '../../workflows';
import { endUpdate, participantTokensQuery, statusQuery } from '../../contracts/show-messages';
import type { ShowStatus } from '../../contracts/show-status';
import { waitFor } from '../support/wait-for';

/** Screenshots and page text land here: CI keeps the folder as its artefacts. */
export const ARTIFACTS_DIR = path.resolve(
  process.env.SHOWRUNNER_ARTIFACTS_DIR ?? path.join(__dirname, '../../.artifacts'),
  'web-ui',
);
const UI_TIMEOUT_MS = 30_000;

/** The flags a headless Chromium needs in a container, and no traffic to Google's services. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const browser = findChromium();

/**
 * The real Temporal Web UI of the local stack (the dev server's UI, pointed at the stack's loopback codec server)
 * in headless Chromium, read as an operator reads it: text on the page, not API calls.
 */
void describe('Temporal Web UI on the local stack', { skip: browser.path ? false : browser.reason }, () => {
  let stack: LocalStack;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  let live: WorkflowHandle<typeof showWorkflow>;
  let waiting: WorkflowHandle<typeof showWorkflow>;
  let liveStatus: ShowStatus;
  const suffix = `${process.pid}`;
  const name = `Web UI Show ${suffix}`;

  const spec = (id: string, extra: Partial<ShowSpecInput> = {}) =>
    parseShowSpec({
      id,
      name,
      schedule: { duration: '20m', leadTime: 0 },
      participants: [{ userId: 'host-ui', role: 'host' }],
      policies: { pollInterval: '1s' },
      ...extra,
    });
  const until = (handle: WorkflowHandle<typeof showWorkflow>, ok: (s: ShowStatus) => boolean, what: string) =>
    waitFor(
      async () => {
        const s = await handle.query(statusQuery);
        return ok(s) ? s : undefined;
      },
      60_000,
      { intervalMs: 250, description: what },
    );

  before(async () => {
    stack = await startPrivateLocalStack(() => undefined);
    const options = { taskQueue: stack.taskQueue, monitorTaskQueue: stack.monitorTaskQueue };
    // With a composition, a show waits for its first publisher; only the first one gets one.
    const composition = () => ({ channelArn: freshChannelArn(), recording: { bucket: LOCAL_STACK_BUCKET } });
    live = await startShow(stack.client, spec(`ui-live-${suffix}`, { composition: composition() }), options);
    waiting = await startShow(stack.client, spec(`ui-waiting-${suffix}`, { composition: composition() }), options);
    await until(live, (s) => s.phase === 'WAITING_FOR_PUBLISHER', 'the live show waiting for its publisher');
    const [token] = await live.query(participantTokensQuery);
    await stack.control.join(token!.token, { publish: true });
    liveStatus = await until(
      live,
      (s) => s.phase === 'LIVE' && s.composition?.destinations.every((d) => d.state === 'ACTIVE') === true,
      'the show on air',
    );
    await until(waiting, (s) => s.phase === 'WAITING_FOR_PUBLISHER', 'the second show waiting');
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'showrunner-chromium-'));
    // A fresh profile each run: nothing cached from an earlier UI (or an earlier codec setting) can help.
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: browser.path!,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
    });
    page = await context.newPage();
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
    for (const h of [live, waiting]) await h?.terminate('test finished').catch(() => undefined);
    await stack?.stop();
  });

  /** The page's text and its frames': the UI renders summaries and details (Markdown) in sandboxed iframes. */
  async function visibleText(p: Page): Promise<string> {
    const texts = await Promise.all(p.frames().map((f) => f.innerText('body').catch(() => '')));
    return texts.join('\n');
  }

  /** Waits until the page's visible text contains every string; on failure saves a screenshot and the text. */
  async function expectText(step: string, expected: (string | RegExp)[], absent: (string | RegExp)[] = []) {
    const missing = (text: string) => [
      ...expected.filter((e) => (typeof e === 'string' ? !text.includes(e) : !e.test(text))),
      ...absent.filter((a) => (typeof a === 'string' ? text.includes(a) : a.test(text))).map((a) => `absent: ${a}`),
    ];
    let text = '';
    try {
      await waitFor(
        async () => {
          text = await visibleText(page);
          return missing(text).length === 0;
        },
        UI_TIMEOUT_MS,
        { intervalMs: 500, description: step },
      );
    } catch {
      fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const shot = path.join(ARTIFACTS_DIR, `failed-${step.replace(/\W+/g, '-')}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
      fs.writeFileSync(shot.replace(/\.png$/, '.txt'), text);
      assert.fail(`${step}: not on the page: ${missing(text).join(' · ')} (screenshot ${shot})`);
    }
  }

  const workflowPage = (id: string) => `${stack.temporal.uiUrl}/namespaces/${stack.temporal.namespace}/workflows/${id}`;
  const listPage = (query: string) =>
    `${stack.temporal.uiUrl}/namespaces/${stack.temporal.namespace}/workflows?query=${encodeURIComponent(query)}`;

  void test('a show’s page: decoded input and activity summaries, then its summary and current details', async () => {
    await page.goto(workflowPage(live.workflowId));
    // Decoded through the codec server: the spec as JSON, never "binary/encrypted".
    await expectText(
      'decoded input',
      [`"name": "${name}"`, `"bucket": "${LOCAL_STACK_BUCKET}"`, 'Create the stage', 'Start composition 1'],
      ['binary/encrypted', 'Codec Server could not connect'],
    );
    await page.getByRole('tab', { name: /User Metadata/ }).click();
    const stage = liveStatus.resources.stageArn!;
    await expectText('summary and current details', [
      `Show ${name} (ui-live-${suffix})`,
      `${name} — LIVE`,
      stage,
      /\(ACTIVE; channel ACTIVE, s3 ACTIVE\)/,
    ]);
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'show-details.png'), fullPage: true });
  });

  void test('the workflow list filters by the ShowPhase search attribute', async () => {
    await page.goto(listPage(`ShowPhase = "LIVE" AND ShowId = "ui-live-${suffix}"`));
    await expectText('LIVE filter', [live.workflowId]);
    await page.goto(listPage(`ShowPhase = "LIVE"`));
    await expectText('LIVE filter', [live.workflowId], [waiting.workflowId]);
    await page.goto(listPage(`ShowPhase = "WAITING_FOR_PUBLISHER"`));
    await expectText('WAITING_FOR_PUBLISHER filter', [waiting.workflowId], [live.workflowId]);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'show-list-filter.png'), fullPage: true });
  });

  // Last: it ends the live show. What an operator reads after the fact must be the truth of the ending.
  void test('an ended show’s page: the outcome and why, what was removed, the sweep and the figures', async () => {
    const reason = `ui check ${suffix}`;
    await live.executeUpdate(endUpdate, { args: [{ reason }] });
    await live.result();
    await page.goto(workflowPage(live.workflowId));
    await page.getByRole('tab', { name: /User Metadata/ }).click();
    await expectText(
      'ended show details',
      [
        `${name} — COMPLETED`,
        `COMPLETED: ended on request: ${reason}`,
        `${liveStatus.resources.stageArn!} (deleted)`,
        'nothing else was left',
        'How it went',
      ],
      ['— LIVE'],
    );
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'show-ended.png'), fullPage: true });
  });
});
