export type SearchAttributeType = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

/**
 * Custom search attributes the show workflows upsert. The dev server must know them before a workflow uses them,
 * so the test runner, the worker and the demo all register this one list.
 */
export const SHOWRUNNER_SEARCH_ATTRIBUTES = {
  ShowId: 'Keyword',
  ShowPhase: 'Keyword',
  StageArn: 'Keyword',
  ChannelArn: 'Keyword',
  ScheduledStart: 'Datetime',
} as const satisfies Record<string, SearchAttributeType>;
