import type {
  CompositionRecord,
  EncoderConfigurationRecord,
  IngestConfigurationRecord,
  PublicKeyRecord,
  StageRecord,
  StorageConfigurationRecord,
  Tags,
} from './records';
import type { ResourceType } from './arns';

/** Everything one account owns in one region. IVS resources are regional, and so is this state. */
export class RegionState {
  private nextSeq = 1;
  readonly stages = new Map<string, StageRecord>();
  readonly compositions = new Map<string, CompositionRecord>();
  readonly encoderConfigurations = new Map<string, EncoderConfigurationRecord>();
  readonly storageConfigurations = new Map<string, StorageConfigurationRecord>();
  readonly ingestConfigurations = new Map<string, IngestConfigurationRecord>();
  readonly publicKeys = new Map<string, PublicKeyRecord>();
  /** StartComposition idempotency tokens → composition ARN, with the time they expire. */
  readonly idempotencyTokens = new Map<string, { arn: string; expiresAt: number }>();

  constructor(
    readonly accountId: string,
    readonly region: string,
  ) {}

  seq(): number {
    return this.nextSeq++;
  }

  /** The map holding resources of an ARN's type; for tags, which work on every taggable resource. */
  taggable(resourceType: ResourceType): Map<string, { tags: Tags }> {
    switch (resourceType) {
      case 'stage':
        return this.stages;
      case 'composition':
        return this.compositions;
      case 'encoder-configuration':
        return this.encoderConfigurations;
      case 'storage-configuration':
        return this.storageConfigurations;
      case 'ingest-configuration':
        return this.ingestConfigurations;
      case 'public-key':
        return this.publicKeys;
    }
  }
}

/**
 * All regional state, created on first use of an account and region. Held by account, then region: every request
 * looks its region up, and two map lookups cost less than building and hashing an `account/region` key each time.
 */
export class StateStore {
  private readonly accounts = new Map<string, Map<string, RegionState>>();

  region(accountId: string, region: string): RegionState {
    let regions = this.accounts.get(accountId);
    if (!regions) this.accounts.set(accountId, (regions = new Map<string, RegionState>()));
    let state = regions.get(region);
    if (!state) {
      state = new RegionState(accountId, region);
      regions.set(region, state);
    }
    return state;
  }

  existingRegion(accountId: string, region: string): RegionState | undefined {
    return this.accounts.get(accountId)?.get(region);
  }

  *all(): IterableIterator<RegionState> {
    for (const regions of this.accounts.values()) yield* regions.values();
  }

  clear(): void {
    this.accounts.clear();
  }
}
