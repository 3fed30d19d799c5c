import fs from 'node:fs';
import path from 'node:path';
import { generateKey, loadKeyRing } from '../../security/encryption-keys';
import { showrunnerCacheDir } from '../tools/tool-cache';

/** The key ID the stack's payloads carry. */
export const LOCAL_STACK_KEY_ID = 'local-stack';

export function localStackDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(showrunnerCacheDir(env), 'local-stack');
}

/**
 * The local stack's payload encryption key, one per user and machine, kept beside the tool cache
 * (`~/.cache/showrunner/local-stack/encryption-keys`, mode 0600): every stack, demo and CLI run on this machine
 * reads the same one, so a show started by one can be read, updated and decoded by the next. It protects local
 * test data only; production keys come from the operator (README, "Secrets").
 */
export function ensureLocalStackKeyFile(env: NodeJS.ProcessEnv = process.env): { file: string; created: boolean } {
  const file = path.join(localStackDir(env), 'encryption-keys');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let created = false;
  try {
    // 'wx': two stacks starting at once must not each write a different key.
    fs.writeFileSync(file, `${LOCAL_STACK_KEY_ID}:${generateKey()}\n`, { flag: 'wx', mode: 0o600 });
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A damaged file is reported here, naming the file, rather than by the first decode.
  loadKeyRing({ SHOWRUNNER_ENCRYPTION_KEY_FILE: file });
  return { file, created };
}
