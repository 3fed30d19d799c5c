import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Typed search attributes of show workflows, for visibility queries and the Web UI's list. Never secrets:
 * search attributes are not encrypted. Registered on the dev server by dev/services/search-attributes.ts.
 */
export const SHOW_ID = defineSearchAttributeKey('ShowId', SearchAttributeType.KEYWORD);
export const SHOW_PHASE = defineSearchAttributeKey('ShowPhase', SearchAttributeType.KEYWORD);
export const STAGE_ARN = defineSearchAttributeKey('StageArn', SearchAttributeType.KEYWORD);
export const CHANNEL_ARN = defineSearchAttributeKey('ChannelArn', SearchAttributeType.KEYWORD);
export const SCHEDULED_START = defineSearchAttributeKey('ScheduledStart', SearchAttributeType.DATETIME);
