/**
 * The key the replay fixtures were encrypted with. Not a secret: fixtures hold only test data, and replay needs
 * the key to decode them.
 */
export const REPLAY_FIXTURE_KEYS = `replay-fixtures:${Buffer.alloc(32, 42).toString('base64')}`;
