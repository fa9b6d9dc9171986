/**
 * @module expand/cache-dir
 * Where converted resources are cached: `$FUNNEL_CACHE`, else `<the platform's cache folder>/funnel`
 * (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on
 * Windows).
 */

import * as os from 'node:os';
import * as path from 'node:path';

/** The cache folder for converted resources; it may not exist yet. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FUNNEL_CACHE) return path.resolve(env.FUNNEL_CACHE);
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'funnel');
  if (process.platform === 'win32') {
    return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'funnel');
  }
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'funnel');
}
