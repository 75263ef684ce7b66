/**
 * The local OpenRouter simulator, for tests and for developing against OpenRouter offline:
 * `startSimulator()` and the types that drive it.
 */
export { DEFAULT_MODEL } from './catalog';
export { defaultApiKey, defaultManagementKey } from './keys';
export { SCENARIO_SPECS, type ScenarioSpec } from './scenarios';
export { startSimulator } from './server';
export {
  type Fault,
  ROUTES,
  type RouteName,
  SCENARIOS,
  type ScenarioName,
  type Simulator,
  type SimulatorOptions,
} from './types';
