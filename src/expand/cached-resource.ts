/**
 * @module expand/cached-resource
 * Load-or-build for a converted resource: read the cached file; when it is missing, torn or of
 * another format, build it from the source package, write it atomically and use what was built
 * (also when it cannot be written: the cache only saves time).
 */

import {
  decodeResource,
  encodeResource,
  readFileAligned,
  type Section,
  writeFileAtomic,
} from './resource-file.js';

/** How one resource is cached. */
export interface CachedResource {
  /** The cache file's path; its name carries the source's version and the format version. */
  file: string;
  /** 8 ASCII characters naming the kind of file. */
  magic: string;
  /** The format version this build reads and writes. */
  version: number;
  /** Converts the source into sections (the slow path, once per source version). */
  build: () => Promise<Section[]>;
}

/** What a load did, for measurement. */
export interface LoadReport {
  /** The cache file. */
  file: string;
  /** True when the cache file was missing or invalid and was rebuilt. */
  built: boolean;
  /** Size of the cache file in bytes. */
  bytes: number;
  /** Why a rebuilt file could not be written (e.g. a read-only cache folder); it is used anyway. */
  writeError?: string;
}

/** The resource's sections as byte views on one aligned buffer, and how they were obtained. */
export async function loadCached(
  resource: CachedResource,
): Promise<{ sections: Uint8Array[]; report: LoadReport }> {
  const { file, magic, version } = resource;
  const cached = await readFileAligned(file).catch(() => undefined); // unreadable: rebuild
  const sections = cached && decodeResource(cached, magic, version);
  if (cached && sections) return { sections, report: { file, built: false, bytes: cached.length } };
  const bytes = encodeResource(magic, version, await resource.build());
  const report: LoadReport = { file, built: true, bytes: bytes.length };
  try {
    await writeFileAtomic(file, bytes);
  } catch (error) {
    report.writeError = error instanceof Error ? error.message : String(error); // a cache, not the data
  }
  const fresh = decodeResource(bytes, magic, version);
  if (!fresh) throw new Error(`${file}: a freshly encoded resource does not decode`);
  return { sections: fresh, report };
}
