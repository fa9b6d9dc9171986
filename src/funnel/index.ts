/**
 * @module funnel
 * The funnel: declared stages (profile) run over an index (runner). Re-exports only.
 */

export { DEFAULT_MODEL_FILE, type LinearModel, readModel } from './ltr-model.js';
export {
  describeProfile,
  loadProfiles,
  type Profile,
  STAGE_MODELS,
  type StageKind,
  type StageSpec,
  validateProfile,
} from './profile.js';
export { type FunnelOptions, type FunnelResult, runFunnel } from './runner.js';
export type { Candidate, StageTrace } from './types.js';
