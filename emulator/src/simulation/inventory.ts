import { isLiveComposition } from '../domain/composition-lifecycle';
import type { StateStore } from '../state/region-state';

export interface RegionInventory {
  accountId: string;
  region: string;
  stages: {
    arn: string;
    name: string;
    tags: Record<string, string>;
    activeSessionId?: string;
    connectedParticipants: number;
  }[];
  compositions: {
    arn: string;
    stageArn: string;
    state: string;
    destinations: { id: string; state: string }[];
    tags: Record<string, string>;
  }[];
  ingestConfigurations: { arn: string; name: string; stageArn: string; state: string; tags: Record<string, string> }[];
  encoderConfigurations: { arn: string; name: string; tags: Record<string, string> }[];
  storageConfigurations: { arn: string; name: string; bucketName: string; tags: Record<string, string> }[];
  publicKeys: { arn: string; name: string }[];
}

export interface Inventory {
  regions: RegionInventory[];
  /** Resources that cost money or quota in AWS if left behind: stages, ingest configurations, live compositions. */
  live: { stages: number; ingestConfigurations: number; compositions: number };
}

/** Every resource the emulator holds, for leak checks. Never includes stream keys or tokens. */
export function buildInventory(
  store: StateStore,
  connected: (stageArn: string, accountId: string, region: string) => number,
): Inventory {
  const regions: RegionInventory[] = [];
  const live = { stages: 0, ingestConfigurations: 0, compositions: 0 };
  for (const r of store.all()) {
    const entry: RegionInventory = {
      accountId: r.accountId,
      region: r.region,
      stages: [...r.stages.values()].map((s) => ({
        arn: s.arn,
        name: s.name,
        tags: s.tags,
        activeSessionId: s.activeSessionId,
        connectedParticipants: connected(s.arn, r.accountId, r.region),
      })),
      compositions: [...r.compositions.values()].map((c) => ({
        arn: c.arn,
        stageArn: c.stageArn,
        state: c.state,
        destinations: c.destinations.map((d) => ({ id: d.id, state: d.state })),
        tags: c.tags,
      })),
      ingestConfigurations: [...r.ingestConfigurations.values()].map((c) => ({
        arn: c.arn,
        name: c.name,
        stageArn: c.stageArn,
        state: c.state,
        tags: c.tags,
      })),
      encoderConfigurations: [...r.encoderConfigurations.values()].map((e) => ({
        arn: e.arn,
        name: e.name,
        tags: e.tags,
      })),
      storageConfigurations: [...r.storageConfigurations.values()].map((s) => ({
        arn: s.arn,
        name: s.name,
        bucketName: s.s3.bucketName,
        tags: s.tags,
      })),
      publicKeys: [...r.publicKeys.values()].map((k) => ({ arn: k.arn, name: k.name })),
    };
    live.stages += entry.stages.length;
    live.ingestConfigurations += entry.ingestConfigurations.length;
    live.compositions += [...r.compositions.values()].filter(isLiveComposition).length;
    if (Object.values(entry).some((v) => Array.isArray(v) && v.length > 0)) regions.push(entry);
  }
  return { regions, live };
}
