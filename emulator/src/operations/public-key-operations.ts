import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type {
  DeletePublicKeyRequest,
  GetPublicKeyRequest,
  ImportPublicKeyRequest,
  ListPublicKeysRequest,
  PublicKey,
} from '@aws-sdk/client-ivs-realtime';
import { conflict, quotaExceeded, validationError } from '../errors/api-error';
import { buildArn } from '../state/arns';
import { newResourceId } from '../state/ids';
import { paginate } from '../state/pagination';
import type { PublicKeyRecord } from '../state/records';
import type { OperationHandler } from './operation-types';
import { checkTags, requireResource } from './resource-lookup';

const present = (k: PublicKeyRecord): PublicKey => ({
  arn: k.arn,
  name: k.name,
  publicKeyMaterial: k.publicKeyMaterial,
  fingerprint: k.fingerprint,
  tags: k.tags,
});

/** Participant tokens are ES384, so only P-384 keys can verify them. */
function parseP384(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw validationError(
      "Value at 'publicKeyMaterial' failed to satisfy constraint: Member must be a PEM-encoded public key",
    );
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'secp384r1') {
    throw validationError(
      "Value at 'publicKeyMaterial' failed to satisfy constraint: Member must be an ECDSA public key on curve P-384 (ES384)",
    );
  }
  return key;
}

const importPublicKey: OperationHandler<ImportPublicKeyRequest> = (call, input) => {
  const { region } = call;
  checkTags(input.tags);
  const key = parseP384(input.publicKeyMaterial!);
  const fingerprint = createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .match(/../g)!
    .join(':');
  for (const existing of region.publicKeys.values()) {
    if (existing.fingerprint === fingerprint) throw conflict(`This public key is already imported as ${existing.arn}`);
  }
  const limit = call.domain.ctx.config.quotas.publicKeysPerRegion;
  if (region.publicKeys.size >= limit)
    throw quotaExceeded(`Public key quota exceeded: at most ${limit} per account and region`);
  const id = newResourceId();
  const record: PublicKeyRecord = {
    seq: region.seq(),
    arn: buildArn(region.region, region.accountId, 'public-key', id),
    id,
    name: input.name ?? '',
    publicKeyMaterial: input.publicKeyMaterial!,
    fingerprint,
    key,
    tags: input.tags ?? {},
  };
  region.publicKeys.set(record.arn, record);
  return { publicKey: present(record) };
};

const getPublicKey: OperationHandler<GetPublicKeyRequest> = (call, input) => ({
  publicKey: present(requireResource(call.region.publicKeys, input.arn!, 'Public key')),
});

const deletePublicKey: OperationHandler<DeletePublicKeyRequest> = (call, input) => {
  call.region.publicKeys.delete(requireResource(call.region.publicKeys, input.arn!, 'Public key').arn);
  return {};
};

const listPublicKeys: OperationHandler<ListPublicKeysRequest> = (call, input) => {
  const page = paginate(call.region.publicKeys.values(), {
    owner: call.region,
    scope: 'ListPublicKeys',
    nextToken: input.nextToken,
    maxResults: input.maxResults,
    defaultMaxResults: 50,
  });
  return { publicKeys: page.items.map((k) => ({ arn: k.arn, name: k.name, tags: k.tags })), nextToken: page.nextToken };
};

export const publicKeyOperations = {
  ImportPublicKey: importPublicKey,
  GetPublicKey: getPublicKey,
  DeletePublicKey: deletePublicKey,
  ListPublicKeys: listPublicKeys,
};
