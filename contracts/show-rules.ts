/**
 * Limits of a show as a whole, shared by the show spec (checked before a show starts) and the show's updates
 * (checked while it runs).
 */

/** IVS stops a composition after 24 hours, so a show is planned to last at most that long from its start. */
export const SHOW_MAX_HOURS = 24;
export const SHOW_MAX_MS = SHOW_MAX_HOURS * 60 * 60_000;
export const SHOW_TOO_LONG = `a show lasts at most ${SHOW_MAX_HOURS} hours`;
/** Why SHOW_MAX_HOURS, for messages. */
export const COMPOSITION_LIMIT = 'the IVS composition limit';

/** End and restart reasons are recorded with the show. */
export const REASON_MAX_LENGTH = 500;
