/**
 * @module expand/package-source
 * Finds an installed npm package that ships a resource (its folder and version), so a cache file
 * can be keyed by the version it was converted from.
 */

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { FunnelError } from '../errors.js';

/** An installed package: its folder and its version. */
export interface PackageSource {
  dir: string;
  version: string;
}

const require = createRequire(import.meta.url);

/** The folder and version of the installed package `name`; throws when it is not installed. */
export function packageSource(name: string): PackageSource {
  let manifest: string;
  try {
    manifest = require.resolve(`${name}/package.json`);
  } catch (cause) {
    throw new FunnelError('IO', `expand: package ${name} is not installed (npm install ${name})`, { cause });
  }
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: path.dirname(manifest), version };
}

/** A cache file name: `<name>-<source version>.f<format version>.bin`, safe on every platform. */
export function cacheFileName(name: string, sourceVersion: string, formatVersion: number): string {
  return `${name}-${sourceVersion}.f${formatVersion}.bin`.replace(/[^A-Za-z0-9._-]/g, '_');
}
