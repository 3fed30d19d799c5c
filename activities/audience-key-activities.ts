import { createHash, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { DeletePublicKeyCommand, ImportPublicKeyCommand, paginateListPublicKeys } from '@aws-sdk/client-ivs-realtime';
import type { AccountRegion } from '../contracts/aws-scope';
import type { AudienceKeyActivities, AudiencePrivateJwk, ImportAudienceKeyInput } from '../contracts/audience';
import { isMadeBy, showTags } from '../contracts/tags';
import type { AwsClients } from './aws-clients';
import { aws, isNotFound, toFailure } from './aws-errors';
import { createOnce } from './create-once';

const generateEcKeyPair = promisify(generateKeyPair);

/** A short, name-safe fingerprint of a public key: ties an imported key to the attempt that generated it. */
function fingerprintOf(publicKeyPem: string): string {
  return createHash('sha256').update(publicKeyPem).digest('hex').slice(0, 16);
}

/**
 * The show's audience key. The private key is generated here, in the worker, and leaves only as this activity's
 * result: Temporal stores it in history through the payload codec (AES-256-GCM), like participant tokens, and the
 * show keeps it in its (equally encrypted) state for the token service's query. It is never logged and never part
 * of an error: an IVS error can quote only the request, which carries the public key alone.
 */
export function createAudienceKeyActivities(clients: AwsClients): AudienceKeyActivities {
  return {
    /**
     * ImportPublicKey has no idempotency token. Each attempt generates its own key pair, so an attempt can only use a
     * key it holds the private half of: it finds its own import by the name carrying its key's fingerprint (a lost
     * response within the attempt), never an earlier attempt's. An earlier attempt's import that landed anyway is
     * under the run tag but unrecorded: the show's look for duplicates right after (dedupe removes unrecorded public
     * keys) and tidy-up's sweep delete it. createOnce still fences a retry until an earlier request can no longer
     * land, so that look sees it.
     */
    async importAudienceKey(input: ImportAudienceKeyInput) {
      const { publicKey, privateKey } = await generateEcKeyPair('ec', { namedCurve: 'P-384' });
      const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const name = `${input.name}-${fingerprintOf(publicKeyPem)}`.slice(0, 128);
      const { value: publicKeyArn } = await createOnce(clients.timing, {
        operation: 'ImportPublicKey',
        find: () => aws('ListPublicKeys', () => findKey(input, name)),
        create: async (abortSignal) => {
          const { publicKey: imported } = await clients.ivsSingleAttempt(input).send(
            new ImportPublicKeyCommand({
              name,
              publicKeyMaterial: publicKeyPem,
              tags: showTags(input.identity, input.tags),
            }),
            { abortSignal },
          );
          return imported!.arn!;
        },
      });
      const jwk = privateKey.export({ format: 'jwk' });
      return { publicKeyArn, privateKey: jwk as AudiencePrivateJwk };
    },

    async deleteAudienceKey(input: AccountRegion & { arn: string }) {
      try {
        await clients.ivs(input).send(new DeletePublicKeyCommand({ arn: input.arn }));
        return { deleted: true };
      } catch (e) {
        if (isNotFound(e)) return { deleted: false };
        throw toFailure(e, 'DeletePublicKey');
      }
    },
  };

  /** This attempt's key: under the run tag and bearing its name (summaries carry tags, so one call per 100 keys). */
  async function findKey(input: ImportAudienceKeyInput, name: string): Promise<string | undefined> {
    for await (const page of paginateListPublicKeys({ client: clients.ivs(input) }, { maxResults: 100 }))
      for (const k of page.publicKeys ?? [])
        if (k.arn && k.name === name && isMadeBy(k.tags, input.identity)) return k.arn;
    return undefined;
  }
}
