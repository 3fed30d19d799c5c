/**
 * The rules of a participant token, shared by the show spec (tokens issued at preparation) and the issueToken
 * update (tokens issued during the show). IVS CreateParticipantToken: userId up to 128 characters, duration
 * 1-20,160 minutes (default 720), capabilities PUBLISH and/or SUBSCRIBE, attributes up to 1 KB in total.
 */
export const USER_ID_MAX_LENGTH = 128;

export const TOKEN_MINUTES = { min: 1, max: 20_160, default: 720 } as const;

export const CAPABILITIES = ['PUBLISH', 'SUBSCRIBE'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Attribute keys of 1-128 characters; keys and values together at most 1 KB. */
export const ATTRIBUTES = {
  keyMaxLength: 128,
  maxBytes: 1024,
  tooLarge: 'attributes must total at most 1 KB',
} as const;

/** UTF-8 length, as IVS counts attribute sizes (a lone surrogate is written as U+FFFD: three bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export const attributesFit = (attributes: Record<string, string>) =>
  Object.entries(attributes).reduce((n, [k, v]) => n + utf8Length(k) + utf8Length(v), 0) <= ATTRIBUTES.maxBytes;
