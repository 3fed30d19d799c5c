export { showWorkflow, type ShowWorkflowInput } from './show-workflow';
export { compositionMonitorWorkflow } from './composition-monitor-workflow';
