import { parseShowSpec } from '../../../show-spec/parse-show-spec';
import type { ShowSpecInput } from '../../../show-spec/show-spec';
import { initialState, type ShowState } from '../../../workflows/show/state';

/** A show for the unit tests of its decisions: a composition to a channel, a host and a guest, 10:00-11:00. */
export const T0 = Date.parse('2030-01-01T10:00:00Z');
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGhIjKl';
export const COMPOSITION = 'arn:aws:ivs:us-east-1:123456789012:composition/AbCdEfGhIjKl';

export const specOf = (patch: Partial<ShowSpecInput> = {}) =>
  parseShowSpec({
    id: 'unit',
    name: 'Unit',
    schedule: { start: '2030-01-01T10:00:00Z', duration: '1h', leadTime: '2m' },
    participants: [
      { userId: 'host', role: 'host', attributes: { seat: '1' }, capabilities: ['PUBLISH'], tokenDuration: '2h' },
      { userId: 'guest' },
    ],
    composition: { channelArn: 'arn:aws:ivs:us-east-1:123456789012:channel/AbCdEfGhIjKl' },
    ...patch,
  });

/** A new show's state (SCHEDULED, nothing made), with `patch` applied. */
export const stateOf = (patch: Partial<ShowState> = {}): ShowState => ({
  ...initialState(specOf(), 'run-key', T0 - 10 * MINUTE),
  ...patch,
});
