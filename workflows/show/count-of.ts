/**
 * A count and its noun, singular for one ("1 participant token", "2 participant tokens"), for activity summaries
 * the Web UI shows. Nouns whose plural is not the singular plus "s" pass it.
 */
export const countOf = (n: number, singular: string, plural = `${singular}s`): string =>
  `${n} ${n === 1 ? singular : plural}`;
