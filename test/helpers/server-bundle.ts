import path from 'node:path'
import { build } from 'esbuild'
import { projectRoot } from '../../src/project-root.js'

/**
 * A TypeScript entry point compiled once to plain JavaScript (as `npm run build` would), so a
 * child process started from it measures Kestrel starting, not the TypeScript loader. The bundle
 * lives in node_modules/.cache; the app still finds its views and package.json from src/.
 */
export async function bundleEntry(entry: string, name: string): Promise<string> {
  const outfile = path.join(projectRoot, 'node_modules', '.cache', 'kestrel-bundles', `${name}.mjs`)
  await build({
    entryPoints: [path.join(projectRoot, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    define: { 'import.meta.dirname': JSON.stringify(path.join(projectRoot, 'src')) },
    logLevel: 'silent',
  })
  return outfile
}
