import { findOnPath } from '../tools/executables';

export const CHROMIUM_ENV_VAR = 'SHOWRUNNER_CHROMIUM';

/**
 * The Chromium the browser tests drive: $SHOWRUNNER_CHROMIUM, or Debian's `chromium` (or a Chrome) on PATH. No
 * browser is downloaded: playwright-core drives the system's. Without one, `reason` says how to get it, for a
 * test's skip message.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): { path?: string; reason?: string } {
  const override = env[CHROMIUM_ENV_VAR];
  // A wrong override must fail loudly in the test, not turn into a skip.
  if (override) return { path: override };
  for (const name of ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']) {
    const found = findOnPath(name, env.PATH);
    if (found) return { path: found };
  }
  return {
    reason:
      `no Chromium to drive the Web UI: install Debian's chromium package (apt-get install chromium, as .ci/run ` +
      `does) or set ${CHROMIUM_ENV_VAR} to a Chromium or Chrome binary`,
  };
}
