// Loads a CommonJS module whose path is known only at run time: a bundle a test just built, an
// untyped package, or a module whose top level reads the environment and must run again (pass
// fresh: its cache entry is dropped first). The one place tests call require() directly.

/** `id` is a package name or an absolute path (relative paths would resolve from this file). */
export function loadModule<T>(id: string, options: { fresh?: boolean } = {}): T {
  if (options.fresh) delete require.cache[require.resolve(id)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a run-time path, possibly re-evaluated
  return require(id) as T;
}
