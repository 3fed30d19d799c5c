import type { AudienceKeyActivities } from './audience';
import type { CompositionActivities } from './composition';
import type { IngestActivities } from './ingest';
import type { JanitorActivities } from './janitor';
import type { MonitorRegistrationActivities } from './monitor-messages';
import type { RecordingsActivities } from './recordings';
import type { SharedConfigurationActivities } from './shared-configurations';
import type { ShowSweepActivities } from './show-resources';
import type { StageActivities } from './stage';

/**
 * Every activity Showrunner's workflows call, as the workflows see them. The workers' factories
 * (activities/index.ts) must return exactly this, so the workflows and the activities cannot drift apart, and
 * workflow code type-checks without the SDKs and Node types the activities need.
 */
export type ShowActivities = SharedConfigurationActivities &
  StageActivities &
  AudienceKeyActivities &
  IngestActivities &
  CompositionActivities &
  ShowSweepActivities &
  MonitorRegistrationActivities &
  RecordingsActivities &
  JanitorActivities;
