import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { isEchoableKeyId, type KeyRing } from './encryption-keys';

/**
 * Encrypts every payload before it leaves the client or worker, so participant tokens and stream keys are never
 * readable in Temporal history. The whole payload (metadata included: it names the original encoding) is serialized
 * and sealed with AES-256-GCM, which also authenticates it, so a tampered payload fails to decode instead of
 * decoding to garbage.
 *
 * Wire format of `data`: 12-byte IV, ciphertext, 16-byte GCM tag (the layout WebCrypto produces, as in Temporal's
 * encryption sample, so a codec server written against that sample can read it).
 *
 * Uses node:crypto: codecs run in the client and worker, never inside the workflow sandbox.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_ENCRYPTION_KEY_ID = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyRing: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keyRing.current;
    return payloads.map((payload) => {
      const plaintext = temporal.api.common.v1.Payload.encode(payload).finish();
      // A fresh random IV per payload: reusing one under the same GCM key would leak plaintext and the auth key.
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING),
          [METADATA_ENCRYPTION_KEY_ID]: utf8(id),
        },
        data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Payloads written before encryption was turned on, or by other codecs, pass through.
      if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
      const keyId = text(payload.metadata?.[METADATA_ENCRYPTION_KEY_ID]);
      if (!keyId) throw new ValueError(`Encrypted payload has no ${METADATA_ENCRYPTION_KEY_ID} metadata`);
      // The id comes from the payload (a codec server request, a tampered history): echoed only once it is valid.
      if (!isEchoableKeyId(keyId))
        throw new ValueError(`Encrypted payload has a ${METADATA_ENCRYPTION_KEY_ID} that is not a valid key id`);
      const key = this.keyRing.byId.get(keyId);
      if (!key) {
        throw new ValueError(
          `Encrypted payload uses key id "${keyId}", which is not in the key ring: ` +
            `keep retired keys in the ring until no history needs them`,
        );
      }
      const data = payload.data ?? new Uint8Array();
      if (data.length < IV_BYTES + TAG_BYTES) {
        throw new ValueError(`Encrypted payload (key id "${keyId}") is too short to be AES-256-GCM output`);
      }
      const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plaintext: Buffer;
      try {
        plaintext = Buffer.concat([
          decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
          decipher.final(),
        ]);
      } catch {
        throw new ValueError(
          `Encrypted payload (key id "${keyId}") failed authentication: it was altered, or the key under that id changed`,
        );
      }
      return temporal.api.common.v1.Payload.decode(plaintext);
    });
  }
}
