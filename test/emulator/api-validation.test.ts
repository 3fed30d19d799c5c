import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  CreateEncoderConfigurationCommand,
  CreateIngestConfigurationCommand,
  CreateParticipantTokenCommand,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  GetStageCommand,
  ListParticipantsCommand,
  ListStagesCommand,
  ListTagsForResourceCommand,
  StartCompositionCommand,
  TagResourceCommand,
  type CreateParticipantTokenRequest,
  type CreateStageRequest,
  type DestinationConfiguration,
  type IVSRealTimeClient,
} from '@aws-sdk/client-ivs-realtime';
import { emulatorFixturePerSuite } from '../support/emulator-scenarios';
import { signedRequest } from '../support/raw-ivs-request';

/**
 * Request validation as the service applies it: the model's constraints (required, type, length, range,
 * pattern, enum, list and map sizes) with the member path named in AWS's wording, several violations
 * reported at once, and the documented cross-field rules the model cannot express. The JS SDK validates
 * nothing on the client side, so bad input goes through it (with casts where its types object).
 */
const MISSING_STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AAAAAAAAAAAA';
const MISSING_STORAGE = 'arn:aws:ivs:us-east-1:123456789012:storage-configuration/AAAAAAAAAAAA';
const MISSING_ENCODER = 'arn:aws:ivs:us-east-1:123456789012:encoder-configuration/AAAAAAAAAAAA';
const CHANNEL = 'arn:aws:ivs:us-east-1:123456789012:channel/AbCdEfGhIjKl';

async function rejects(promise: Promise<unknown>, name: string, ...messageParts: (string | RegExp)[]): Promise<string> {
  let message = '';
  await assert.rejects(promise, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name, e.message);
    message = e.message;
    return true;
  });
  for (const part of messageParts) {
    if (typeof part === 'string') assert.ok(message.includes(part), `${JSON.stringify(message)} mentions ${part}`);
    else assert.match(message, part);
  }
  return message;
}

const tags = (n: number, prefix = 't') =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']));

void describe('IVS Real-Time request validation', () => {
  const fx = emulatorFixturePerSuite();
  let ivs: IVSRealTimeClient;
  let stageArn: string;
  let storageArn: string;

  before(async () => {
    ivs = fx.ivs;
    stageArn = (await ivs.send(new CreateStageCommand({ name: 'validation' }))).stage!.arn!;
    const bucket = await fx.createBucket('val');
    storageArn = (await ivs.send(new CreateStorageConfigurationCommand({ s3: { bucketName: bucket } })))
      .storageConfiguration!.arn!;
  });

  const token = (input: Partial<Record<keyof CreateParticipantTokenRequest, unknown>>) =>
    ivs.send(new CreateParticipantTokenCommand({ stageArn, ...input } as CreateParticipantTokenRequest));
  const stage = (input: Partial<Record<keyof CreateStageRequest, unknown>>) =>
    ivs.send(new CreateStageCommand(input as CreateStageRequest));
  const compose = (destinations: DestinationConfiguration[]) =>
    ivs.send(new StartCompositionCommand({ stageArn, destinations }));

  void test('a missing required member is named, top-level and nested', async () => {
    await rejects(
      ivs.send(new CreateParticipantTokenCommand({} as CreateParticipantTokenRequest)),
      'ValidationException',
      "1 validation error detected: Value null at 'stageArn' failed to satisfy constraint: Member must not be null",
    );
    await rejects(
      compose([{ s3: { storageConfigurationArn: storageArn } as never }]),
      'ValidationException',
      "Value null at 'destinations.1.member.s3.encoderConfigurationArns' failed to satisfy constraint: Member must not be null",
    );
    // Raw, because the SDK needs the label to build the path: TagResource without a tags member.
    const raw = await signedRequest(fx.emulator.endpoint, { path: `/tags/${encodeURIComponent(stageArn)}`, body: {} });
    assert.equal(raw.status, 400);
    assert.equal(raw.headers['x-amzn-errortype'], 'ValidationException');
    assert.ok(raw.text.includes("Value null at 'tags' failed to satisfy constraint: Member must not be null"));
  });

  void test('a member of the wrong type is named', async () => {
    await rejects(token({ duration: 'sixty' }), 'ValidationException', "Value 'sixty' at 'duration'", 'integer');
    await rejects(token({ duration: 1.5 }), 'ValidationException', "at 'duration'", 'integer');
    await rejects(stage({ name: 123 }), 'ValidationException', "Value '123' at 'name'", 'must be a string');
    await rejects(stage({ tags: ['a'] }), 'ValidationException', "at 'tags'", 'must be a map');
    await rejects(
      stage({ participantTokenConfigurations: {} }),
      'ValidationException',
      "at 'participantTokenConfigurations'",
      'must be a list',
    );
    await rejects(
      ivs.send(
        new ListParticipantsCommand({ stageArn, sessionId: 'st-AAAAAAAAAAAAA', filterByPublished: 'yes' as never }),
      ),
      'ValidationException',
      "at 'filterByPublished'",
      'boolean',
    );
  });

  void test('string length: a stage name of 129 characters is refused, 128 accepted', async () => {
    await rejects(
      stage({ name: 'n'.repeat(129) }),
      'ValidationException',
      "at 'name' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
    const { stage: created } = await ivs.send(new CreateStageCommand({ name: 'n'.repeat(128) }));
    assert.equal(created!.name!.length, 128);
    await rejects(
      token({ userId: 'u'.repeat(129) }),
      'ValidationException',
      "at 'userId' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
  });

  void test('numeric range: duration 0 and 20161 are refused, 1 and 20160 accepted', async () => {
    await rejects(
      token({ duration: 0 }),
      'ValidationException',
      "Value '0' at 'duration' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await rejects(
      token({ duration: 20161 }),
      'ValidationException',
      "Value '20161' at 'duration' failed to satisfy constraint: Member must have value less than or equal to 20160",
    );
    assert.equal((await token({ duration: 1 })).participantToken!.duration, 1);
    assert.equal((await token({ duration: 20160 })).participantToken!.duration, 20160);
    await rejects(
      stage({ participantTokenConfigurations: [{}, { duration: 20161 }] }),
      'ValidationException',
      "at 'participantTokenConfigurations.2.member.duration'",
    );
  });

  void test('pattern: full-match semantics', async () => {
    for (const name of ['abc def', 'abc!', ' abc', 'abc\n', 'stage/1']) {
      await rejects(
        stage({ name }),
        'ValidationException',
        "at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]*",
      );
    }
    for (const name of ['abc', 'a-b_c', '']) await ivs.send(new CreateStageCommand({ name }));
    await rejects(
      ivs.send(new GetStageCommand({ arn: 'arn:aws:ivs:us-east-1:123456789012:channel/AbCdEfGhIjKl' })),
      'ValidationException',
      "at 'arn'",
      'regular expression pattern',
    );
  });

  void test('enum: capabilities [FLY] and an unknown ingest protocol', async () => {
    await rejects(
      token({ capabilities: ['PUBLISH', 'FLY'] }),
      'ValidationException',
      "Value 'FLY' at 'capabilities.2.member' failed to satisfy constraint: Member must satisfy enum value set: [PUBLISH, SUBSCRIBE]",
    );
    await rejects(
      ivs.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'SRT' as never })),
      'ValidationException',
      "Value 'SRT' at 'ingestProtocol'",
      'enum value set',
    );
  });

  void test('list size: 13 token configurations, 3 destinations, no destination', async () => {
    await rejects(
      stage({ participantTokenConfigurations: Array.from({ length: 13 }, () => ({})) }),
      'ValidationException',
      "at 'participantTokenConfigurations' failed to satisfy constraint: Member must have length less than or equal to 12",
    );
    const twelve = await stage({ participantTokenConfigurations: Array.from({ length: 12 }, () => ({})) });
    assert.equal(twelve.participantTokens!.length, 12);
    await rejects(
      compose([
        { channel: { channelArn: CHANNEL } },
        { channel: { channelArn: CHANNEL } },
        { channel: { channelArn: CHANNEL } },
      ]),
      'ValidationException',
      "at 'destinations' failed to satisfy constraint: Member must have length less than or equal to 2",
    );
    await rejects(
      compose([]),
      'ValidationException',
      "at 'destinations' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  void test('map size: 51 tags are refused, 50 accepted', async () => {
    await rejects(
      stage({ tags: tags(51) }),
      'ValidationException',
      "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    );
    const fifty = await ivs.send(new CreateStageCommand({ tags: tags(50) }));
    assert.equal(Object.keys(fifty.stage!.tags!).length, 50);
    await rejects(stage({ tags: { ['k'.repeat(129)]: 'v' } }), 'ValidationException', "at 'tags.key'", '128');
  });

  void test('several violations in one request are all reported', async () => {
    const message = await rejects(
      stage({ name: 'has space', participantTokenConfigurations: [{ duration: 0 }] }),
      'ValidationException',
      /^2 validation errors detected: /,
      "at 'name'",
      "at 'participantTokenConfigurations.1.member.duration'",
    );
    assert.equal(message.split('; ').length, 2);
    await rejects(
      token({ stageArn: undefined, duration: 0, capabilities: ['FLY'], userId: 'u'.repeat(200) }),
      'ValidationException',
      /^4 validation errors detected: /,
      "at 'stageArn'",
      "at 'duration'",
      "at 'capabilities.1.member'",
      "at 'userId'",
    );
  });

  void test('RTMP ingest requires insecureIngest=true', async () => {
    await rejects(
      ivs.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMP' })),
      'ValidationException',
      'insecureIngest',
    );
    await rejects(
      ivs.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMP', insecureIngest: false })),
      'ValidationException',
      'insecureIngest',
    );
    const { ingestConfiguration } = await ivs.send(
      new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMP', insecureIngest: true, stageArn }),
    );
    assert.equal(ingestConfiguration!.ingestProtocol, 'RTMP');
    assert.equal(ingestConfiguration!.stageArn, stageArn);
    await rejects(
      ivs.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMPS', stageArn: MISSING_STAGE })),
      'ValidationException',
      "at 'stageArn'",
    );
  });

  void test('a composition has at most one channel and one s3 destination, each of exactly one kind', async () => {
    await rejects(
      compose([{ channel: { channelArn: CHANNEL } }, { channel: { channelArn: CHANNEL.replace(/l$/, 'm') } }]),
      'ValidationException',
      'at most one channel destination',
    );
    await rejects(
      compose([{ s3: { storageConfigurationArn: storageArn, encoderConfigurationArns: [] } }]),
      'ValidationException',
      "at 'destinations.1.member.s3.encoderConfigurationArns' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await rejects(compose([{}]), 'ValidationException', 'exactly one of channel or s3');
    await rejects(
      compose([
        {
          channel: { channelArn: CHANNEL },
          s3: { storageConfigurationArn: storageArn, encoderConfigurationArns: [MISSING_ENCODER] },
        },
      ]),
      'ValidationException',
      'exactly one of channel or s3',
    );
  });

  void test('two s3 destinations are refused; a missing storage or encoder configuration is not found', async () => {
    const encoderArn = (await ivs.send(new CreateEncoderConfigurationCommand({}))).encoderConfiguration!.arn!;
    const s3 = { storageConfigurationArn: storageArn, encoderConfigurationArns: [encoderArn] };
    await rejects(compose([{ s3 }, { s3 }]), 'ValidationException', 'at most one s3 destination');
    await rejects(
      compose([{ s3: { ...s3, storageConfigurationArn: MISSING_STORAGE } }]),
      'ResourceNotFoundException',
      MISSING_STORAGE,
    );
    await rejects(
      compose([{ s3: { ...s3, encoderConfigurationArns: [MISSING_ENCODER] } }]),
      'ResourceNotFoundException',
      MISSING_ENCODER,
    );
    await rejects(
      compose([{ channel: { channelArn: CHANNEL, encoderConfigurationArn: MISSING_ENCODER } }]),
      'ResourceNotFoundException',
      MISSING_ENCODER,
    );
    const inventory = await fx.control.inventory();
    assert.equal(inventory.live.compositions, 0, 'no refused request left a composition behind');
  });

  void test('participant attributes over 1 KB in total are refused', async () => {
    const exactly1k = { k: 'v'.repeat(1023) };
    const over = { k: 'v'.repeat(1024) };
    assert.deepEqual((await token({ attributes: exactly1k })).participantToken!.attributes, exactly1k);
    await rejects(token({ attributes: over }), 'ValidationException', "at 'attributes'", '1 KB');
    const spread = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`attr${i}`, 'x'.repeat(50)]));
    await rejects(token({ attributes: spread }), 'ValidationException', "at 'attributes'");
    await rejects(
      stage({ participantTokenConfigurations: [{}, { attributes: over }] }),
      'ValidationException',
      "at 'participantTokenConfigurations.2.member.attributes'",
    );
    await rejects(
      ivs.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMPS', attributes: over })),
      'ValidationException',
      "at 'attributes'",
    );
  });

  void test("tag keys starting with 'aws:' are reserved", async () => {
    await rejects(stage({ tags: { 'aws:cloudformation:stack-name': 'x' } }), 'ValidationException', "'aws:'");
    await rejects(
      ivs.send(new TagResourceCommand({ resourceArn: stageArn, tags: { 'AWS:owner': 'me' } })),
      'ValidationException',
      "'aws:'",
    );
    await ivs.send(new TagResourceCommand({ resourceArn: stageArn, tags: { 'not-aws:owner': 'me' } }));
  });

  void test('tagging beyond 50 tags in total is refused and changes nothing', async () => {
    const { stage: tagged } = await ivs.send(new CreateStageCommand({ tags: tags(30) }));
    const arn = tagged!.arn!;
    await rejects(
      ivs.send(new TagResourceCommand({ resourceArn: arn, tags: tags(21, 'new') })),
      'ValidationException',
      '50 tags',
    );
    assert.equal(Object.keys((await ivs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags!).length, 30);
    // Overwriting existing keys does not count twice.
    await ivs.send(new TagResourceCommand({ resourceArn: arn, tags: { ...tags(30), ...tags(20, 'new') } }));
    assert.equal(Object.keys((await ivs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags!).length, 50);
  });

  void test('ListParticipants takes at most one filter', async () => {
    const { participantTokens } = await ivs.send(
      new CreateStageCommand({ name: 'filters', participantTokenConfigurations: [{ userId: 'u1' }] }),
    );
    const { stageArn: filtersStage, sessionId } = await fx.control.join(participantTokens![0]!.token!);
    await rejects(
      ivs.send(
        new ListParticipantsCommand({
          stageArn: filtersStage,
          sessionId,
          filterByUserId: 'u1',
          filterByPublished: false,
        }),
      ),
      'ValidationException',
      'filterByUserId',
      'filterByPublished',
    );
    const one = await ivs.send(
      new ListParticipantsCommand({ stageArn: filtersStage, sessionId, filterByUserId: 'u1' }),
    );
    assert.equal(one.participants!.length, 1);
  });

  void test('validation failures never reach the handlers: nothing is created', async () => {
    const before = (await ivs.send(new ListStagesCommand({ maxResults: 100 }))).stages!.length;
    await rejects(stage({ name: 'bad name', tags: tags(51) }), 'ValidationException', /^2 validation errors/);
    const afterCount = (await ivs.send(new ListStagesCommand({ maxResults: 100 }))).stages!.length;
    assert.equal(afterCount, before);
  });
});
