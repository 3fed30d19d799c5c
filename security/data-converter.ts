import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec';
import type { KeyRing } from './encryption-keys';

/**
 * The data converter for every Showrunner Client and Worker. Both sides must use the same key ring (or at least
 * share the keys in use), or one side will write payloads the other cannot read.
 */
export function createDataConverter(keyRing: KeyRing): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keyRing)] };
}
