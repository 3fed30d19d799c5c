import type { ShowSpecInput } from '../../show-spec/show-spec';

/** The demo's show: two hosts and a guest, an RTMPS encoder, a broadcast to a channel with a composite recording. */
export function demoShowSpec(id: string, bucket: string, durationSeconds: number): ShowSpecInput {
  return {
    id,
    name: 'Showrunner demo',
    tags: { purpose: 'demo' },
    schedule: { duration: `${durationSeconds}s`, leadTime: 0 },
    participants: [
      { userId: 'host-ana', role: 'host', attributes: { displayName: 'Ana' } },
      { userId: 'host-ben', role: 'host', attributes: { displayName: 'Ben' } },
      { userId: 'guest-cleo', role: 'guest', capabilities: ['PUBLISH', 'SUBSCRIBE'] },
    ],
    ingest: { enabled: true, protocol: 'RTMPS', userId: 'studio-encoder', name: 'studio' },
    composition: {
      channelArn: 'arn:aws:ivs:us-east-1:123456789012:channel/demoChannel01',
      layout: { type: 'grid', gridGap: 4 },
      encoder: { preset: 'hd-720p30' },
      recording: {
        bucket,
        hlsSegmentSeconds: 2,
        thumbnails: { intervalSeconds: 10, storage: ['SEQUENTIAL', 'LATEST'] },
      },
    },
    individualRecording: {
      storage: { bucket },
      hlsSegmentSeconds: 2,
      thumbnails: { intervalSeconds: 10, storage: ['LATEST'] },
    },
    policies: {
      pollInterval: '1s',
      reconnectingTolerance: '5s',
      maxCompositionRestarts: 3,
      restartBackoff: { initial: '1s', multiplier: 2, max: '10s' },
      recordingsSettleTimeout: '1m',
    },
  };
}
