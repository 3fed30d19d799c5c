/**
 * The floor of the scale bench: the least a cached workflow can be — a timer, a signal handler and a small state
 * object — so that a show's memory can be read against what the SDK itself costs per cached workflow.
 */
import { condition, defineQuery, defineSignal, setHandler, sleep } from '@temporalio/workflow';

export const floorPokeSignal = defineSignal<[string]>('floorPoke');
export const floorStateQuery = defineQuery<FloorState>('floorState');

interface FloorState {
  phase: 'WAITING' | 'POKED' | 'DONE';
  pokes: number;
  last?: string;
}

/** Waits up to `hours` for an end signal, counting pokes; one timer and one signal handler, as a show has. */
export async function floorWorkflow(hours: number): Promise<FloorState> {
  const state: FloorState = { phase: 'WAITING', pokes: 0 };
  let ended = false;
  setHandler(floorPokeSignal, (what) => {
    state.pokes++;
    state.last = what;
    state.phase = 'POKED';
    if (what === 'end') ended = true;
  });
  setHandler(floorStateQuery, () => state);
  await Promise.race([sleep(hours * 3_600_000), condition(() => ended)]);
  state.phase = 'DONE';
  return state;
}
