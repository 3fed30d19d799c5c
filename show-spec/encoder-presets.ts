/**
 * Named encoder presets a show can ask for; the show finds or creates a shared encoder configuration for each.
 * Kept apart from the schema so workflow code can read it without bundling the validators.
 */
export const ENCODER_PRESETS = {
  'sd-480p30': { width: 854, height: 480, framerate: 30, bitrate: 1_200_000 },
  'hd-720p30': { width: 1280, height: 720, framerate: 30, bitrate: 2_500_000 },
  'hd-720p60': { width: 1280, height: 720, framerate: 60, bitrate: 4_000_000 },
  'fhd-1080p30': { width: 1920, height: 1080, framerate: 30, bitrate: 6_000_000 },
} as const;
export type EncoderPreset = keyof typeof ENCODER_PRESETS;
