import { randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomId(length: number, alphabet = ALPHANUMERIC): string {
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[randomInt(alphabet.length)];
  return id;
}

/** Resource IDs are 12 alphanumerics, as in `arn:aws:ivs:us-west-2:123456789012:stage/abcdABCDefgh`. */
export const newResourceId = () => randomId(12);
/** Stage session IDs are `st-` and 13 alphanumerics (the model fixes their length at 16). */
export const newSessionId = () => `st-${randomId(13)}`;
export const newParticipantId = () => randomId(12);
