import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { sameSnapshot, type CompositionSnapshot } from '../../contracts/composition';
import { rootMessage } from '../../contracts/errors';
import { fieldIssues, inlineIssues, issueList } from '../../contracts/issues';
import { attributesFit, utf8Length } from '../../contracts/participants';
import { SHOWRUNNER_SEARCH_ATTRIBUTES, SHOW_PHASE, STAGE_ARN } from '../../contracts/search-attributes';
import { endArgsSchema, issueTokenArgsSchema, validateArgs } from '../../contracts/show-messages';
import { ENDING_PHASES, FINAL_PHASES, isEndingPhase, isFinalPhase, SHOW_PHASES } from '../../contracts/show-status';
import { isKept, isMadeBy, isManaged, showTags, TAG_KEEP } from '../../contracts/tags';
import { participantSchema } from '../../show-spec/show-spec';
import * as showMessages from '../../contracts/show-messages';
import { assertUpdateArgumentRefusals, rejected } from '../support/update-argument-refusals';

/** The small shared facts of contracts/, and that the show's updates follow the same rules as its spec. */

void describe('shared facts', () => {
  void test('rootMessage finds the deepest cause that has a message', () => {
    const inner = new Error('ValidationException: stage name too long');
    const wrapped = Object.assign(new Error('Activity task failed'), {
      cause: Object.assign(new Error('x'), { cause: inner }),
    });
    assert.equal(rootMessage(wrapped), 'ValidationException: stage name too long');
    assert.equal(rootMessage(Object.assign(new Error('outer'), { cause: { code: 14 } })), 'outer');
    assert.equal(rootMessage('plain'), 'plain');
    assert.equal(rootMessage(undefined), 'undefined');
  });

  void test('zod issues read as field: rule, with a name for the whole value', () => {
    const result = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
    assert.ok(!result.success);
    const issues = fieldIssues(result.error.issues, '(spec)');
    assert.deepEqual(issues, [{ path: 'a.b', message: 'Invalid input: expected number, received string' }]);
    assert.deepEqual(fieldIssues(z.number().safeParse('x').error!.issues, '(spec)')[0]?.path, '(spec)');
    assert.equal(
      inlineIssues([...issues, { path: 'c', message: 'no' }]),
      'a.b: Invalid input: expected number, received string; c: no',
    );
    assert.equal(
      issueList('Invalid thing', issues),
      'Invalid thing:\n  - a.b: Invalid input: expected number, received string',
    );
  });

  void test('UTF-8 lengths match Node’s, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => utf8Length(text) === Buffer.byteLength(text)),
      { seed: 20_260_101, numRuns: 2_000 },
    );
  });

  void test('snapshots are the same when the composition and every destination state are', () => {
    const base: CompositionSnapshot = { arn: 'a', state: 'ACTIVE', destinations: [{ id: '1', state: 'ACTIVE' }] };
    assert.equal(sameSnapshot(base, { ...base, destinations: [{ id: '1', state: 'ACTIVE' }] }), true);
    assert.equal(sameSnapshot(base, { ...base, state: 'STOPPING' }), false);
    assert.equal(sameSnapshot(base, { ...base, destinations: [{ id: '1', state: 'RECONNECTING' }] }), false);
    assert.equal(sameSnapshot(base, { ...base, destinations: [] }), false);
    assert.equal(
      sameSnapshot(base, { ...base, destinations: [...base.destinations, { id: '2', state: 'ACTIVE' }] }),
      false,
    );
  });

  void test('tags: what a show writes identifies its execution; kept and managed read the same keys', () => {
    const identity = { showId: 's', workflowId: 'show-s', runKey: 'r1' };
    const tags = showTags(identity, { team: 'a' });
    assert.equal(tags.team, 'a');
    assert.ok(isManaged(tags) && isMadeBy(tags, identity));
    assert.equal(isMadeBy(tags, { ...identity, runKey: 'r2' }), false);
    assert.equal(isKept(tags), false);
    assert.equal(isKept({ ...tags, [TAG_KEEP]: 'true' }), true);
  });

  void test('phases: ENDING onwards winds down; the registered search attributes are the typed keys', () => {
    assert.deepEqual(ENDING_PHASES, ['ENDING', 'TIDYING', 'INDEXING', 'COMPLETED', 'FAILED', 'CANCELLED']);
    assert.deepEqual(FINAL_PHASES, ['COMPLETED', 'FAILED', 'CANCELLED']);
    assert.ok(isEndingPhase('TIDYING') && !isEndingPhase('LIVE') && !isEndingPhase('something else'));
    assert.ok(isFinalPhase('CANCELLED') && !isFinalPhase('INDEXING'));
    assert.equal(SHOW_PHASES[0], 'SCHEDULED');
    assert.equal(SHOWRUNNER_SEARCH_ATTRIBUTES[SHOW_PHASE.name], 'Keyword');
    assert.equal(SHOWRUNNER_SEARCH_ATTRIBUTES[STAGE_ARN.name], 'Keyword');
    assert.deepEqual(Object.keys(SHOWRUNNER_SEARCH_ATTRIBUTES), [
      'ShowId',
      'ShowPhase',
      'StageArn',
      'ChannelArn',
      'ScheduledStart',
    ]);
  });
});

void describe('update arguments follow the spec’s rules', () => {
  const specMessage = (participant: unknown) => {
    const result = participantSchema.safeParse(participant);
    assert.ok(!result.success, 'the spec refuses it too');
    return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  };

  void test('a token request the spec would refuse for a participant is refused with the same words', () => {
    const cases = [
      { userId: 'x'.repeat(129) },
      { userId: '' },
      { userId: 'a', capabilities: ['ADMIN'] },
      { userId: 'a', capabilities: [] },
      // IVS counts attribute bytes: 342 three-byte characters and a key are over 1 KB, though far under 1,024 characters.
      { userId: 'a', attributes: { k: '€'.repeat(342) } },
      { userId: 'a', attributes: { ['k'.repeat(129)]: 'v' } },
    ];
    for (const args of cases) {
      const update = rejected(() => validateArgs(issueTokenArgsSchema, args));
      assert.equal(update, `Invalid arguments: ${specMessage(args)}`, JSON.stringify(args).slice(0, 80));
    }
    assert.equal(attributesFit({ k: '€'.repeat(341) }), true, 'exactly 1,024 bytes');
    assert.equal(attributesFit({ k: '€'.repeat(342) }), false);
  });

  void test('token minutes: the IVS range, whole minutes', () => {
    assert.match(
      rejected(() => validateArgs(issueTokenArgsSchema, { userId: 'a', durationMinutes: 20_161 })),
      /durationMinutes: Too big/,
    );
    assert.match(
      rejected(() => validateArgs(issueTokenArgsSchema, { userId: 'a', durationMinutes: 1.5 })),
      /expected int/,
    );
    assert.deepEqual(validateArgs(issueTokenArgsSchema, { userId: 'a', durationMinutes: 20_160 }), {
      userId: 'a',
      durationMinutes: 20_160,
    });
  });

  void test('every update names the field and the rule, and takes a missing argument as {}', () => {
    assertUpdateArgumentRefusals(showMessages);
    assert.deepEqual(validateArgs(endArgsSchema, undefined), {});
  });
});
