/** bundle-cost.ts: Showrunner's workflows and the minimal one in one bundle, as a worker would load them. */
export * from '../../workflows';
export { floorWorkflow } from './floor-workflow';
