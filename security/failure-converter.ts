import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces are plain text in history unless the failure converter moves them into
 * `encodedAttributes`, a payload the encryption codec then seals: an activity error that quotes a stream key or a
 * participant token would otherwise leak it. The history keeps only the placeholder message "Encoded failure".
 *
 * Loaded by path (`failureConverterPath`) by the Client, the Worker and the workflow bundle alike, so this module
 * must stay workflow-safe: nothing but `@temporalio/common`.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
