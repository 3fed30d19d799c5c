import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateIngestConfigurationCommand,
  CreateStageCommand,
  DeleteStageCommand,
  GetStageCommand,
  ImportPublicKeyCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-ivs-realtime';
import { createAwsClients, type AwsClients } from '../../activities/aws-clients';
import { createCompositionActivities } from '../../activities/composition-activities';
import { createIngestActivities } from '../../activities/ingest-activities';
import { dedupe, needsRemoval, type ShowResource } from '../../contracts/show-resources';
import { createShowSweepActivities } from '../../activities/show-sweep-activities';
import { createStageActivities } from '../../activities/stage-activities';
import {
  showTags,
  TAG_MANAGED,
  TAG_RUN_KEY,
  TAG_SHOW_ID,
  TAG_WORKFLOW_ID,
  type ShowIdentity,
} from '../../contracts/tags';
import { emulatorFixturePerSuite, freshChannelArn } from '../support/emulator-scenarios';
import { apiCalls } from '../support/show-scenarios';

const REGION = 'us-east-1';
const OTHER_STAGES = 120; // with the show's own, more than one ListStages page (100)

void describe('the show sweep: what IVS holds under a show’s run tag', () => {
  const fixture = emulatorFixturePerSuite({
    // Nobody joins: keep the composition from idling out during the suite.
    timings: { idleStopWithoutParticipantsMs: 60 * 60_000 },
  });
  let aws: AwsClients;
  const show: ShowIdentity = { showId: 'sweep', workflowId: 'show-sweep', runKey: randomUUID() };
  // The same show's earlier execution: same show and workflow ID, another run key. Its resources are not ours.
  const earlierRun: ShowIdentity = { ...show, runKey: randomUUID() };
  const INGEST_NAME = 'show-sweep-ingest';
  const made: Record<string, string> = {};

  const sweep = () => createShowSweepActivities(aws);
  const scope = { region: REGION };

  before(async () => {
    aws = createAwsClients({
      defaultRegion: REGION,
      ivsEndpoint: fixture.emulator.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const ivs = fixture.ivs;
    for (let i = 0; i < OTHER_STAGES; i++) await ivs.send(new CreateStageCommand({ name: `other-${i}` }));
    // What the show made and recorded, through its own activities.
    const stage = await createStageActivities(aws).ensureStage({
      ...scope,
      identity: show,
      name: 'show-sweep',
      tags: {},
    });
    made.stage = stage.stageArn;
    const ingest = await createIngestActivities(aws).ensureIngestConfiguration({
      ...scope,
      identity: show,
      stageArn: stage.stageArn,
      name: INGEST_NAME,
      protocol: 'RTMPS',
      insecureIngest: false,
      attributes: {},
      tags: {},
    });
    made.ingest = ingest.ingestConfigurationArn;
    const composition = await createCompositionActivities(aws).startComposition({
      ...scope,
      identity: show,
      stageArn: stage.stageArn,
      idempotencyToken: randomUUID(),
      layout: {},
      destinations: [{ channel: { channelArn: freshChannelArn() } }],
      tags: {},
    });
    made.composition = composition.arn;
    // What landed without the workflow hearing: a second stage with its own ingest configuration, and an ingest
    // configuration whose stage was deleted since (IVS blanks its stageArn).
    const tags = showTags(show);
    made.lateStage = (await ivs.send(new CreateStageCommand({ name: 'show-sweep', tags }))).stage!.arn!;
    made.lateIngest = (
      await ivs.send(
        new CreateIngestConfigurationCommand({
          name: INGEST_NAME,
          stageArn: made.lateStage,
          ingestProtocol: 'RTMPS',
          tags,
        }),
      )
    ).ingestConfiguration!.arn!;
    const doomed = (await ivs.send(new CreateStageCommand({ name: 'show-sweep', tags }))).stage!.arn!;
    made.detachedIngest = (
      await ivs.send(
        new CreateIngestConfigurationCommand({ name: INGEST_NAME, stageArn: doomed, ingestProtocol: 'RTMPS', tags }),
      )
    ).ingestConfiguration!.arn!;
    await ivs.send(new DeleteStageCommand({ arn: doomed }));
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    made.publicKey = (
      await ivs.send(
        new ImportPublicKeyCommand({
          publicKeyMaterial: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          tags,
        }),
      )
    ).publicKey!.arn!;
    // Not ours: someone's ingest configuration on the show's stage (no tags), and the earlier run's stage.
    made.foreignIngest = (
      await ivs.send(
        new CreateIngestConfigurationCommand({ name: 'visitor', stageArn: made.stage, ingestProtocol: 'RTMPS' }),
      )
    ).ingestConfiguration!.arn!;
    // A detached configuration of someone else's, under another name.
    const strangers = (await ivs.send(new CreateStageCommand({ name: 'strangers' }))).stage!.arn!;
    await ivs.send(
      new CreateIngestConfigurationCommand({ name: 'stranger', stageArn: strangers, ingestProtocol: 'RTMPS' }),
    );
    await ivs.send(new DeleteStageCommand({ arn: strangers }));
    made.earlierStage = (
      await ivs.send(new CreateStageCommand({ name: 'show-sweep', tags: showTags(earlierRun) }))
    ).stage!.arn!;
  });
  after(() => aws?.destroy());

  const byKind = (resources: ShowResource[]) => {
    const out: Record<string, string[]> = {};
    for (const r of resources) (out[r.kind] ??= []).push(r.arn);
    for (const arns of Object.values(out)) arns.sort();
    return out;
  };

  void test('every resource the show makes carries its run tag', async () => {
    for (const arn of [made.stage!, made.ingest!, made.composition!]) {
      const { tags } = await fixture.ivs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
      assert.equal(tags?.[TAG_MANAGED], 'true', arn);
      assert.equal(tags?.[TAG_SHOW_ID], show.showId, arn);
      assert.equal(tags?.[TAG_WORKFLOW_ID], show.workflowId, arn);
      assert.equal(tags?.[TAG_RUN_KEY], show.runKey, arn);
    }
  });

  void test('finds everything under the run tag, recorded or not, and nothing else; the calls are counted', async () => {
    const before = await apiCalls(fixture);
    const found = await sweep().findShowResources({
      ...scope,
      identity: show,
      publicKeys: true,
      ingestConfigurationName: INGEST_NAME,
    });
    const after = await apiCalls(fixture);

    assert.deepEqual(byKind(found.resources), {
      stage: [made.stage!, made.lateStage!].sort(),
      composition: [made.composition!],
      ingestConfiguration: [made.ingest!, made.lateIngest!, made.detachedIngest!].sort(),
      publicKey: [made.publicKey!],
    });
    // Two ListStages pages (over 100 stages); one page of everything else; one ListTagsForResource per candidate
    // ingest configuration: the three of ours and the visitor on our stage.
    const expected = {
      ListStages: 2,
      ListCompositions: 1,
      ListIngestConfigurations: 1,
      ListTagsForResource: 4,
      ListPublicKeys: 1,
    };
    assert.deepEqual(found.calls, expected);
    const seen = Object.fromEntries(Object.keys(expected).map((op) => [op, (after[op] ?? 0) - (before[op] ?? 0)]));
    assert.deepEqual(seen, expected, 'what the emulator counted');
  });

  void test('an ingest configuration the show recorded is counted as its own without asking for its tags', async () => {
    const before = await apiCalls(fixture);
    const found = await sweep().findShowResources({
      ...scope,
      identity: show,
      ingestConfigurationName: INGEST_NAME,
      knownMine: [made.ingest!],
    });
    const after = await apiCalls(fixture);
    // The same finds as without the hint; one ListTagsForResource fewer (the late, detached and visitor ones).
    assert.deepEqual(
      byKind(found.resources).ingestConfiguration,
      [made.ingest!, made.lateIngest!, made.detachedIngest!].sort(),
    );
    assert.equal(found.calls.ListTagsForResource, 3);
    assert.equal((after.ListTagsForResource ?? 0) - (before.ListTagsForResource ?? 0), 3, 'what the emulator counted');
  });

  void test('without the name hint every detached ingest configuration is checked; without public keys none is listed', async () => {
    const found = await sweep().findShowResources({ ...scope, identity: show });
    assert.equal(found.calls.ListTagsForResource, 5, 'the stranger’s detached configuration was checked too');
    assert.equal(found.calls.ListPublicKeys, undefined);
    assert.equal(byKind(found.resources).publicKey, undefined);
    assert.deepEqual(
      byKind(found.resources).ingestConfiguration,
      [made.ingest!, made.lateIngest!, made.detachedIngest!].sort(),
    );
  });

  void test('removes the duplicates dedupe picks, then everything at tidy-up; idempotent; refuses what is not the show’s', async () => {
    const activities = sweep();
    const found = await activities.findShowResources({ ...scope, identity: show, publicKeys: true });
    const decision = dedupe(found.resources, {
      stageArn: made.stage,
      ingestConfigurationArn: made.ingest,
      compositionArns: [made.composition!],
    });
    assert.deepEqual(byKind(decision.remove), {
      stage: [made.lateStage!],
      ingestConfiguration: [made.lateIngest!, made.detachedIngest!].sort(),
      publicKey: [made.publicKey!],
    });
    const removed = await activities.removeShowResources({ ...scope, identity: show, resources: decision.remove });
    assert.ok(
      removed.results.every((r) => r.outcome === 'removed'),
      JSON.stringify(removed.results),
    );

    // Tidy-up: everything still needing removal, plus an ARN that is not the show's.
    const rest = (await activities.findShowResources({ ...scope, identity: show, publicKeys: true })).resources;
    assert.deepEqual(byKind(rest), {
      stage: [made.stage!],
      composition: [made.composition!],
      ingestConfiguration: [made.ingest!],
    });
    const tidy = await activities.removeShowResources({
      ...scope,
      identity: show,
      resources: [...rest.filter(needsRemoval), { kind: 'stage', arn: made.earlierStage! }],
    });
    assert.deepEqual(
      tidy.results.map((r) => [r.kind, r.outcome]),
      [
        ['composition', 'removed'],
        ['ingestConfiguration', 'removed'],
        ['stage', 'removed'],
        ['stage', 'refused'],
      ],
    );
    const earlier = await fixture.ivs.send(new GetStageCommand({ arn: made.earlierStage }));
    assert.equal(earlier.stage?.arn, made.earlierStage, 'the earlier run’s stage is untouched');

    // Again: the ingest configuration and the stage are gone. Stopping a stopped composition is not documented
    // (the emulator accepts it, IVS might answer ConflictException); both count as done.
    const again = await activities.removeShowResources({
      ...scope,
      identity: show,
      resources: rest.filter(needsRemoval),
    });
    assert.deepEqual(
      again.results.map((r) => [r.kind, r.kind === 'composition' && r.outcome === 'removed' ? 'gone' : r.outcome]),
      [
        ['composition', 'gone'],
        ['ingestConfiguration', 'gone'],
        ['stage', 'gone'],
      ],
    );
    // What is left under the tag needs nothing: the stopped (or stopping) composition until IVS purges it.
    const last = await activities.findShowResources({ ...scope, identity: show, publicKeys: true });
    assert.deepEqual(byKind(last.resources), { composition: [made.composition!] });
    assert.equal(last.resources.filter(needsRemoval).length, 0);
  });
});
