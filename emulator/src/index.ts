export { startEmulator, type RunningEmulator } from './emulator';
export type { EmulatorConfig, EmulatorConfigInput } from './config';
export { CONTROL_PREFIX } from './simulation/control-api';
export type { FaultRuleInput } from './simulation/fault-injector';
export type { Inventory } from './simulation/inventory';
export {
  EmulatorControlClient,
  EmulatorControlError,
  type MembershipInfo,
  type ParticipantRef,
} from './client/emulator-control-client';
export type { IvsEvent } from './events/types';
