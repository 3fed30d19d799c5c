import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Typed search attributes of show workflows, for visibility queries and the Web UI's list. Never secrets:
 * search attributes are not encrypted.
 */
export const SHOW_ID = defineSearchAttributeKey('ShowId', SearchAttributeType.KEYWORD);
export const SHOW_PHASE = defineSearchAttributeKey('ShowPhase', SearchAttributeType.KEYWORD);
export const STAGE_ARN = defineSearchAttributeKey('StageArn', SearchAttributeType.KEYWORD);
export const CHANNEL_ARN = defineSearchAttributeKey('ChannelArn', SearchAttributeType.KEYWORD);
export const SCHEDULED_START = defineSearchAttributeKey('ScheduledStart', SearchAttributeType.DATETIME);

/** Set by the server on every workflow a schedule starts (trigger and backfill included). */
export const TEMPORAL_SCHEDULED_START_TIME = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

/** How the Temporal CLI and `temporal operator search-attribute create` spell each type. */
const CLI_SPELLING = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
} as const satisfies Record<SearchAttributeType, string>;
export type RegisteredSearchAttributeType = (typeof CLI_SPELLING)[SearchAttributeType];

/**
 * The custom search attributes to register, by name, as the CLI spells their types. A namespace must know them
 * before a workflow upserts one, so the test runner, the dev stack and the compose file all register this list.
 */
export const SHOWRUNNER_SEARCH_ATTRIBUTES: Readonly<Record<string, RegisteredSearchAttributeType>> = Object.fromEntries(
  [SHOW_ID, SHOW_PHASE, STAGE_ARN, CHANNEL_ARN, SCHEDULED_START].map((key) => [key.name, CLI_SPELLING[key.type]]),
);
