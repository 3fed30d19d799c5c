import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dedupe, firstByArn, needsRemoval, type ShowResource } from '../../contracts/show-resources';

const stage = (id: string): ShowResource => ({ kind: 'stage', arn: `arn:aws:ivs:us-east-1:123456789012:stage/${id}` });
const ingest = (id: string, stageArn: string): ShowResource => ({
  kind: 'ingestConfiguration',
  arn: `arn:aws:ivs:us-east-1:123456789012:ingest-configuration/${id}`,
  stageArn,
});
const composition = (id: string, state: string, startedAt: string): ShowResource => ({
  kind: 'composition',
  arn: `arn:aws:ivs:us-east-1:123456789012:composition/${id}`,
  state,
  startedAt,
});
const arns = (rs: ShowResource[]) => rs.map((r) => r.arn).sort();

void describe('dedupe: which duplicate a show keeps', () => {
  void test('firstByArn is order-independent', () => {
    assert.equal(firstByArn([]), undefined);
    assert.equal(firstByArn(['b', 'a', 'c']), 'a');
    assert.equal(firstByArn(['c', 'b', 'a']), 'a');
  });

  void test('the recorded stage is kept even when it is not the first by ARN', () => {
    const [a, b] = [stage('aaaa'), stage('bbbb')];
    const d = dedupe([a, b], { stageArn: b.arn });
    assert.deepEqual(arns(d.keep), [b.arn]);
    assert.deepEqual(arns(d.remove), [a.arn]);
  });

  void test('with nothing recorded, every order of the listing keeps the same stage', () => {
    const all = [stage('mmmm'), stage('aaaa'), stage('zzzz')];
    for (const order of [all, [...all].reverse(), [all[1]!, all[2]!, all[0]!]]) {
      const d = dedupe(order, {});
      assert.deepEqual(arns(d.keep), [stage('aaaa').arn]);
      assert.equal(d.remove.length, 2);
    }
  });

  void test('an unrecorded ingest configuration on the kept stage wins over one on a duplicate stage', () => {
    const [kept, dup] = [stage('bbbb'), stage('cccc')];
    const onKept = ingest('zzzz', kept.arn);
    const onDup = ingest('aaaa', dup.arn);
    const d = dedupe([kept, dup, onKept, onDup], { stageArn: kept.arn });
    assert.deepEqual(arns(d.keep), arns([kept, onKept]));
    assert.deepEqual(arns(d.remove), arns([dup, onDup]));
    // The recorded one is kept whatever it is attached to.
    const recorded = dedupe([kept, onKept, onDup], { stageArn: kept.arn, ingestConfigurationArn: onDup.arn });
    assert.deepEqual(arns(recorded.keep), arns([kept, onDup]));
  });

  void test('compositions: recorded live ones stay, stopped ones need nothing, unrecorded live ones go', () => {
    const recorded = composition('rrrr', 'ACTIVE', '2025-01-01T10:00:05.000Z');
    const stray = composition('ssss', 'STARTING', '2025-01-01T10:00:01.000Z');
    const stopped = composition('tttt', 'STOPPED', '2025-01-01T09:00:00.000Z');
    const d = dedupe([recorded, stray, stopped], { compositionArns: [recorded.arn] });
    assert.deepEqual(arns(d.keep), arns([recorded, stopped]));
    assert.deepEqual(arns(d.remove), [stray.arn]);
    assert.equal(needsRemoval(stopped), false);
  });

  void test('compositions with none recorded: the earliest started is adopted, the rest go', () => {
    const early = composition('zzzz', 'ACTIVE', '2025-01-01T10:00:00.000Z');
    const late = composition('aaaa', 'ACTIVE', '2025-01-01T10:00:09.000Z');
    const d = dedupe([late, early], {});
    assert.deepEqual(arns(d.keep), [early.arn]);
    assert.deepEqual(arns(d.remove), [late.arn]);
  });

  void test('public keys the show did not record are removed', () => {
    const key = { kind: 'publicKey' as const, arn: 'arn:aws:ivs:us-east-1:123456789012:public-key/abcd' };
    assert.deepEqual(dedupe([key], {}).remove, [key]);
    assert.deepEqual(dedupe([key], { publicKeyArns: [key.arn] }).keep, [key]);
  });
});
