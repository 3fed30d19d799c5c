import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export interface SignerOptions {
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  /** The signing name: `ivs` for IVS Real-Time, `s3`, `sts`. */
  service: string;
  /** S3 signs the path as sent; the other services escape it once more (the SDK's default, true). */
  uriEscapePath?: boolean;
  /** S3 PUTs with an `x-amz-content-sha256` header of their own must not have the body hashed again. */
  applyChecksum?: boolean;
}

/**
 * A SigV4 signer configured the way the AWS SDKs configure theirs, for requests the SDK would refuse to send or
 * that must go out without its per-request middleware (raw protocol tests, bulk loading, replayed bench requests).
 */
export function sigV4Signer(options: SignerOptions): SignatureV4 {
  return new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service,
    sha256: Hash.bind(null, 'sha256'),
    ...(options.uriEscapePath === undefined ? {} : { uriEscapePath: options.uriEscapePath }),
    ...(options.applyChecksum === undefined ? {} : { applyChecksum: options.applyChecksum }),
  });
}
