import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec';
import type { KeyRing } from './encryption-keys';

/**
 * The module exporting `failureConverter`. The SDK loads failure converters by path, never as an instance: the
 * workflow sandbox gets its own copy compiled into the bundle, so prebuilt bundles must be built with this same path
 * (`bundleWorkflowCode({ failureConverterPath: FAILURE_CONVERTER_PATH })`).
 */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The data converter for every Showrunner Client and Worker. Both sides must use the same key ring (or at least
 * share the keys in use), or one side will write payloads the other cannot read. The failure converter encodes
 * failure messages and stack traces as payloads, so the codec encrypts them too; the Client and a Worker that
 * bundles from `workflowsPath` pick it up from here, a prebuilt bundle from `FAILURE_CONVERTER_PATH`.
 */
export function createDataConverter(keyRing: KeyRing): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keyRing)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
