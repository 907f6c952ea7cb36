// Builds public/: compiled CSS and JS with content-hashed names, a manifest, and the images the CSS refers to.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import * as esbuild from 'esbuild'
import * as sass from 'sass'

const root = path.resolve(import.meta.dirname, '..')
const out = path.join(root, 'public')
fs.rmSync(out, { recursive: true, force: true })
fs.mkdirSync(out, { recursive: true })

const hashed = (name, content) => {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 10).toUpperCase()
  const ext = path.extname(name)
  return `${path.basename(name, ext)}-${hash}${ext}`
}
const manifest = {}
const write = (logical, content) => {
  const file = hashed(logical, content)
  fs.writeFileSync(path.join(out, file), content)
  manifest[logical] = file
}

const css = sass.compile(path.join(root, 'assets/scss/application.scss'), {
  loadPaths: [path.join(root, 'node_modules'), root],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
  // GOV.UK Frontend 6 warns about its own deprecated mixins used inside MOJ Frontend: not ours to fix.
  logger: sass.Logger.silent,
})
write('application.css', css.css)

const js = await esbuild.build({
  entryPoints: [path.join(root, 'assets/js/application.js')],
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['es2020'],
  write: false,
  logLevel: 'warning',
})
write('application.js', js.outputFiles[0].contents)
write('favicon.svg', fs.readFileSync(path.join(root, 'assets/favicon.svg')))

fs.cpSync(path.join(root, 'node_modules/govuk-frontend/dist/govuk/assets/images'), path.join(out, 'images'), { recursive: true })
fs.cpSync(path.join(root, 'node_modules/@ministryofjustice/frontend/moj/assets/images'), path.join(out, 'images'), { recursive: true })
fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2))
console.log(`Assets built: ${Object.values(manifest).join(', ')}`)
