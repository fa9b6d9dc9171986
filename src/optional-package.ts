/**
 * @module optional-package
 * Loading an optional dependency on first use: the import happens once (a failed one is tried
 * again next time), and a missing package is a FunnelError that says what needs it and how to
 * install the pinned version. Shared by the in-process model runtimes (node-llama-cpp,
 * transformers.js), which the default profile never loads.
 */

import { FunnelError } from './errors.js';

/**
 * A loader of package `name` (pinned at `version` in package.json's optionalDependencies) for
 * `user` (how errors name what needed it); `setup` runs once on the loaded module.
 */
// biome-ignore lint/suspicious/noExplicitAny: an optional package's types are not a dependency of the build
export function optionalPackage(name: string, version: string, user: string, setup?: (mod: any) => void) {
  // biome-ignore lint/suspicious/noExplicitAny: see above
  let loading: Promise<any> | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: see above
  return (): Promise<any> => {
    loading ??= import(name).then(
      (mod) => {
        setup?.(mod);
        return mod;
      },
      (err: unknown) => {
        loading = undefined;
        throw new FunnelError(
          'IO',
          `${user}: the optional package ${name} is not installed (${(err as Error).message}); ` +
            `install it with: npm install ${name}@${version}`,
          { cause: err },
        );
      },
    );
    return loading;
  };
}
