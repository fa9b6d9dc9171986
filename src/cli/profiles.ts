/**
 * @module cli/profiles
 * The `--profile` / `--config` options of the funnel commands: a profile by name from the built-in
 * ones and the config file (`--config` or $FUNNEL_CONFIG), or a usage error listing the known ones.
 */

import { loadProfiles, type Profile } from '../funnel/profile.js';
import { UsageError } from './io.js';

export function pickProfile(name: string, config?: string): Profile {
  const profiles = loadProfiles(config ?? process.env.FUNNEL_CONFIG);
  const p = profiles.get(name);
  if (!p) {
    throw new UsageError(
      `unknown profile ${JSON.stringify(name)}; known: ${[...profiles.keys()].join(', ')}`,
    );
  }
  return p;
}
