import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventName } from '@aws-sdk/client-ivs-realtime';
import { publishingNow } from '../../activities/stage-activities';

const at = (second: number, name: EventName) => ({ name, eventTime: new Date(Date.UTC(2025, 0, 1, 0, 0, second)) });

/** publishingNow reads a connected participant's events of the session; these are its cases, no server needed. */
void describe('publishingNow: does a participant publish now, by its events', () => {
  void test('the latest of PUBLISH_STARTED and what ends publishing decides', () => {
    assert.equal(publishingNow([at(1, 'JOINED'), at(2, 'PUBLISH_STARTED')]), true);
    assert.equal(publishingNow([at(1, 'JOINED'), at(2, 'PUBLISH_STARTED'), at(3, 'PUBLISH_STOPPED')]), false);
    assert.equal(
      publishingNow([at(1, 'JOINED'), at(2, 'PUBLISH_STARTED'), at(3, 'PUBLISH_STOPPED'), at(4, 'PUBLISH_STARTED')]),
      true,
    );
    assert.equal(publishingNow([at(1, 'JOINED'), at(2, 'PUBLISH_ERROR')]), false);
    assert.equal(publishingNow([at(1, 'JOINED')]), false);
    assert.equal(publishingNow([]), false);
  });

  void test('leaving or joining again ends a publish even without PUBLISH_STOPPED', () => {
    assert.equal(publishingNow([at(1, 'JOINED'), at(2, 'PUBLISH_STARTED'), at(3, 'LEFT'), at(4, 'JOINED')]), false);
    assert.equal(publishingNow([at(2, 'PUBLISH_STARTED'), at(3, 'JOINED')]), false);
  });

  void test('events are read in time order whatever order they are listed in; ties keep the listed order', () => {
    assert.equal(publishingNow([at(3, 'PUBLISH_STOPPED'), at(2, 'PUBLISH_STARTED'), at(1, 'JOINED')]), false);
    assert.equal(publishingNow([at(3, 'PUBLISH_STARTED'), at(2, 'PUBLISH_STOPPED'), at(1, 'JOINED')]), true);
    assert.equal(publishingNow([at(2, 'PUBLISH_STOPPED'), at(2, 'PUBLISH_STARTED')]), true);
    assert.equal(publishingNow([at(2, 'PUBLISH_STARTED'), at(2, 'PUBLISH_STOPPED')]), false);
  });

  void test('subscribe and replication events do not change it', () => {
    assert.equal(
      publishingNow([
        at(1, 'JOINED'),
        at(2, 'PUBLISH_STARTED'),
        at(3, 'SUBSCRIBE_STARTED'),
        at(4, 'REPLICATION_STARTED'),
        at(5, 'SUBSCRIBE_STOPPED'),
      ]),
      true,
    );
  });
});
