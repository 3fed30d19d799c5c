import type { ShowActivities } from '../contracts/show-activities';
import { createAudienceKeyActivities } from './audience-key-activities';
import type { AwsClients } from './aws-clients';
import { createCompositionActivities } from './composition-activities';
import { createIngestActivities } from './ingest-activities';
import { createJanitorActivities } from './janitor-activities';
import { createMonitorRegistrationActivities, type MonitorRegistrationDeps } from './monitor-registration';
import { createRecordingsActivities } from './recordings';
import { createSharedConfigurationActivities } from './shared-configurations';
import { createShowSweepActivities } from './show-sweep-activities';
import { createStageActivities } from './stage-activities';

export interface ActivityDeps {
  aws: AwsClients;
  monitor: MonitorRegistrationDeps;
  /** The accounts of SHOWRUNNER_AWS_ACCOUNTS (the janitor sweeps each of them besides the worker's own). */
  accounts?: string[];
}

/**
 * Every activity Showrunner's workflows call, built from configured clients (real AWS or local servers). The
 * result must be the contract the workflows are written against (contracts/show-activities.ts).
 */
export function createActivities(deps: ActivityDeps): ShowActivities {
  return {
    ...createSharedConfigurationActivities(deps.aws),
    ...createStageActivities(deps.aws),
    ...createIngestActivities(deps.aws),
    ...createAudienceKeyActivities(deps.aws),
    ...createCompositionActivities(deps.aws),
    ...createShowSweepActivities(deps.aws),
    ...createMonitorRegistrationActivities(deps.monitor),
    ...createRecordingsActivities({ s3: (scope) => deps.aws.s3(scope) }),
    ...createJanitorActivities({ aws: deps.aws, client: deps.monitor.client, accounts: deps.accounts }),
  };
}
