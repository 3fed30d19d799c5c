import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { showSpecSchema } from '../../show-spec/show-spec';
import { scheduledShowId } from '../../contracts/ids';

const scheduleIds = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/);
const times = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2200-01-01T00:00:00Z'),
  noInvalidDate: true,
});

void describe('scheduled show ids', () => {
  void test('are valid show ids (slug, at most 48 characters) for any schedule id and time', () => {
    const idField = showSpecSchema.shape.id;
    fc.assert(
      fc.property(fc.oneof(scheduleIds, fc.string()), times, (scheduleId, at) => {
        const id = scheduledShowId(scheduleId, at);
        assert.ok(idField.safeParse(id).success, id);
        assert.ok(id.length <= 48, id);
      }),
    );
  });

  void test('differ for runs a second apart and for long schedule ids that share a prefix', () => {
    fc.assert(
      fc.property(scheduleIds, times, fc.integer({ min: 1, max: 10 ** 9 }), (scheduleId, at, seconds) => {
        const later = new Date(at.getTime() + seconds * 1000);
        assert.notEqual(scheduledShowId(scheduleId, at), scheduledShowId(scheduleId, later));
        assert.equal(scheduledShowId(scheduleId, at), scheduledShowId(scheduleId, new Date(at)));
      }),
    );
    const prefix = 'weekly-developer-talk-show-for-the-platform-team';
    const at = new Date('2026-03-12T16:00:00Z');
    assert.notEqual(scheduledShowId(`${prefix}-emea`, at), scheduledShowId(`${prefix}-apac`, at));
  });

  void test('read as <schedule id>-<yyyymmddhhmmss> when the schedule id fits', () => {
    assert.equal(scheduledShowId('nightly', new Date('2026-03-12T16:00:05.123Z')), 'nightly-20260312160005');
  });
});
