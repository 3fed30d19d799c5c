import { COMPOSITION_LIMIT, SHOW_MAX_MS, SHOW_TOO_LONG } from '../../contracts/show-rules';
import type { ShowSpec } from '../../show-spec/show-spec';
import { isEnding, liveComposition } from './decisions';
import type { ShowState } from './state';

/**
 * When the show refuses an update whose arguments are valid: each function returns the reason, or undefined
 * when the update may go ahead. The update validators throw the reason, so a refused update never enters history.
 */

export function endRefusal(state: ShowState): string | undefined {
  if (isEnding(state)) return `The show is already ${state.phase}`;
  return undefined;
}

export function extendRefusal(state: ShowState, endAt: number, now: number): string | undefined {
  if (isEnding(state) || state.endRequested) return `The show is already ending (${state.phase})`;
  if (endAt <= now) return 'endAt: must be in the future';
  if (endAt - state.startAt > SHOW_MAX_MS) return `endAt: ${SHOW_TOO_LONG} from its start (${COMPOSITION_LIMIT})`;
  return undefined;
}

export function issueTokenRefusal(state: ShowState): string | undefined {
  if (!state.stageArn || isEnding(state)) return `No stage to join: the show is ${state.phase}`;
  return undefined;
}

export function restartRefusal(spec: ShowSpec, state: ShowState): string | undefined {
  if (!spec.composition?.enabled) return 'This show has no composition';
  if (!liveComposition(state) || isEnding(state)) return `No composition to restart: the show is ${state.phase}`;
  return undefined;
}
