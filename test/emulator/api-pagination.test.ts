import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CreateEncoderConfigurationCommand,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  DeleteStageCommand,
  ListCompositionsCommand,
  ListStagesCommand,
  StartCompositionCommand,
  paginateListStages,
  type IVSRealTimeClient,
} from '@aws-sdk/client-ivs-realtime';
import { emulatorFixturePerSuite } from '../support/emulator-scenarios';

/**
 * List pagination: page sizes, opaque tokens bound to the request that produced them, and stable iteration
 * while resources come and go between pages. Each test works in its own account so counts are exact.
 */
async function rejectsValidation(promise: Promise<unknown>, ...messageParts: string[]): Promise<void> {
  await assert.rejects(promise, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, 'ValidationException', e.message);
    assert.equal(e.$metadata?.httpStatusCode, 400);
    for (const part of messageParts) assert.ok(e.message.includes(part), `${e.message} mentions ${part}`);
    return true;
  });
}

async function createStages(ivs: IVSRealTimeClient, n: number, prefix: string): Promise<string[]> {
  const arns: string[] = [];
  // Sequential, so creation order (which is list order) is the order of the array.
  for (let i = 0; i < n; i++)
    arns.push((await ivs.send(new CreateStageCommand({ name: `${prefix}-${i}` }))).stage!.arn!);
  return arns;
}

void describe('IVS Real-Time list pagination', () => {
  const fx = emulatorFixturePerSuite();
  let account = 500000000000;
  const freshAccount = () => fx.client({ accessKeyId: String(++account) });

  void test('7 stages with maxResults 3 come in 3 pages, each exactly once, no nextToken on the last', async () => {
    const ivs = freshAccount();
    const arns = await createStages(ivs, 7, 'paged');
    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await ivs.send(new ListStagesCommand({ maxResults: 3, nextToken }));
      pages.push(page.stages!.map((s) => s.arn!));
      nextToken = page.nextToken;
      if (nextToken !== undefined) assert.match(nextToken, /^[a-zA-Z0-9+/=_-]+$/, 'the model pattern of tokens');
      assert.ok(pages.length <= 3, 'no more than three pages');
    } while (nextToken);
    assert.deepEqual(
      pages.map((p) => p.length),
      [3, 3, 1],
    );
    assert.deepEqual(pages.flat(), arns);

    // The SDK's paginator agrees.
    const viaPaginator: string[] = [];
    for await (const page of paginateListStages({ client: ivs, pageSize: 3 }, {}))
      viaPaginator.push(...page.stages!.map((s) => s.arn!));
    assert.deepEqual(viaPaginator, arns);

    const exact = await ivs.send(new ListStagesCommand({ maxResults: 7 }));
    assert.equal(exact.stages!.length, 7);
    assert.equal(exact.nextToken, undefined, 'a page that holds the rest has no nextToken');
  });

  void test('maxResults 0 and 101 are ValidationExceptions; 1 and 100 are fine', async () => {
    const ivs = freshAccount();
    await createStages(ivs, 2, 'bounds');
    await rejectsValidation(ivs.send(new ListStagesCommand({ maxResults: 0 })), "at 'maxResults'", '1');
    await rejectsValidation(ivs.send(new ListStagesCommand({ maxResults: 101 })), "at 'maxResults'", '100');
    const one = await ivs.send(new ListStagesCommand({ maxResults: 1 }));
    assert.equal(one.stages!.length, 1);
    assert.ok(one.nextToken);
    assert.equal((await ivs.send(new ListStagesCommand({ maxResults: 100 }))).stages!.length, 2);
  });

  void test('a ListCompositions token is bound to its filter: reused with another stage it is a ValidationException', async () => {
    const ivs = freshAccount();
    const [stageA, stageB] = await createStages(ivs, 2, 'filtered');
    const bucket = await fx.createBucket('pages');
    const storageConfigurationArn = (
      await ivs.send(new CreateStorageConfigurationCommand({ s3: { bucketName: bucket } }))
    ).storageConfiguration!.arn!;
    const encoderArn = (await ivs.send(new CreateEncoderConfigurationCommand({}))).encoderConfiguration!.arn!;
    const start = (stageArn: string) =>
      ivs.send(
        new StartCompositionCommand({
          stageArn,
          destinations: [{ s3: { storageConfigurationArn, encoderConfigurationArns: [encoderArn] } }],
        }),
      );
    const onA = [(await start(stageA!)).composition!.arn!, (await start(stageA!)).composition!.arn!];
    const onB = [(await start(stageB!)).composition!.arn!, (await start(stageB!)).composition!.arn!];

    const first = await ivs.send(new ListCompositionsCommand({ filterByStageArn: stageA, maxResults: 1 }));
    assert.deepEqual(
      first.compositions!.map((c) => c.arn),
      [onA[0]],
    );
    assert.ok(first.nextToken);
    await rejectsValidation(
      ivs.send(new ListCompositionsCommand({ filterByStageArn: stageB, maxResults: 1, nextToken: first.nextToken })),
      "at 'nextToken'",
    );
    await rejectsValidation(
      ivs.send(new ListCompositionsCommand({ maxResults: 1, nextToken: first.nextToken })),
      "at 'nextToken'",
    );
    // A token of another operation is refused too.
    await rejectsValidation(ivs.send(new ListStagesCommand({ nextToken: first.nextToken })), "at 'nextToken'");
    const second = await ivs.send(
      new ListCompositionsCommand({ filterByStageArn: stageA, maxResults: 1, nextToken: first.nextToken }),
    );
    assert.deepEqual(
      second.compositions!.map((c) => c.arn),
      [onA[1]],
    );
    assert.equal(second.nextToken, undefined);
    const onlyB = await ivs.send(new ListCompositionsCommand({ filterByStageArn: stageB }));
    assert.deepEqual(
      onlyB.compositions!.map((c) => c.arn),
      onB,
    );
  });

  void test('a tampered or made-up token is a ValidationException', async () => {
    const ivs = freshAccount();
    await createStages(ivs, 3, 'tamper');
    const { nextToken } = await ivs.send(new ListStagesCommand({ maxResults: 1 }));
    assert.ok(nextToken);
    const body = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8')) as Record<string, unknown>;
    // Skip ahead by editing the position the token records; its MAC no longer matches.
    const skipped = Buffer.from(JSON.stringify({ ...body, a: (body.a as number) + 1 })).toString('base64url');
    // A character inside the token, not the last one, whose low bits may be padding.
    const flipped = `${nextToken.slice(0, 8)}${nextToken[8] === 'A' ? 'B' : 'A'}${nextToken.slice(9)}`;
    for (const token of [skipped, flipped, 'AAAA', 'not-a-token', Buffer.from('{}').toString('base64url')]) {
      await rejectsValidation(ivs.send(new ListStagesCommand({ nextToken: token })), "at 'nextToken'");
    }
    await rejectsValidation(ivs.send(new ListStagesCommand({ nextToken: 'bad token!' })), "at 'nextToken'", 'pattern');
    // The genuine token still works after all that.
    assert.equal((await ivs.send(new ListStagesCommand({ nextToken }))).stages!.length, 2);
  });

  void test('resources created or deleted between pages cause no repeats and no skips', async () => {
    const ivs = freshAccount();
    const arns = await createStages(ivs, 7, 'moving');
    const seen: string[] = [];
    const page1 = await ivs.send(new ListStagesCommand({ maxResults: 3 }));
    seen.push(...page1.stages!.map((s) => s.arn!));
    const added = await createStages(ivs, 2, 'added');
    // Deleting one already listed must not shift the next page back onto a listed stage.
    await ivs.send(new DeleteStageCommand({ arn: arns[0] }));
    let nextToken = page1.nextToken;
    while (nextToken) {
      const page = await ivs.send(new ListStagesCommand({ maxResults: 3, nextToken }));
      seen.push(...page.stages!.map((s) => s.arn!));
      nextToken = page.nextToken;
    }
    assert.equal(new Set(seen).size, seen.length, 'no stage listed twice');
    assert.deepEqual(seen, [...arns, ...added], 'every stage once, the new ones at the end');
  });
});
