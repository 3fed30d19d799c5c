export { showWorkflow, type ShowWorkflowInput } from './show/show-workflow';
export { compositionMonitorWorkflow } from './composition-monitor-workflow';
export { janitorWorkflow, type JanitorInput, type JanitorReport } from './janitor-workflow';
export { scheduledShowWorkflow, type ScheduledShowInput } from './scheduled-show-workflow';
