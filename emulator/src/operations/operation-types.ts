import type { CallerIdentity } from '../auth/sigv4-verifier';
import type { IvsDomain } from '../domain/ivs-domain';
import type { RegionState } from '../state/region-state';

/** An SDK shape as the emulator answers it: its timestamps are already ISO 8601 strings (see wireTime). */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export interface OperationCall {
  caller: CallerIdentity;
  region: RegionState;
  domain: IvsDomain;
}

/**
 * Handlers receive input that already passed model validation, so its shape is the SDK's request type. They
 * return the response body (dates as Date, serialized to ISO 8601).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OperationHandler<I = any> = (call: OperationCall, input: I) => unknown;
