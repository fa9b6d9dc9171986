/**
 * @module index/lock
 * One writer per index directory: a LOCK file holding the writer's pid. A lock left by a process that
 * no longer runs (kill -9) is taken over; a live one is an INDEX_LOCKED error.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { FunnelError } from '../errors.js';

/** Directories this process holds (a pid check cannot tell two opens in one process apart). */
const held = new Set<string>();

export function acquireLock(dir: string): () => void {
  const file = path.join(dir, 'LOCK');
  const key = fs.realpathSync(dir);
  if (held.has(key))
    throw new FunnelError('INDEX_LOCKED', `${dir}: index is already open for writing in this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      held.add(key);
      return () => {
        held.delete(key);
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
        } catch {
          // Already gone.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new FunnelError('INDEX_LOCKED', `${dir}: index is locked by running process ${pid} (${file})`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new FunnelError('INDEX_LOCKED', `${dir}: could not take ${file}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
