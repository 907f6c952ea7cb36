// tsc compiles only TypeScript: copy the templates and JSON data the server reads at run time.
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const src = path.join(root, 'src')
const dist = path.join(root, 'dist', 'src')
let copied = 0
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(full)
    else if (/\.(njk|json)$/.test(entry.name)) {
      const target = path.join(dist, path.relative(src, full))
      fs.mkdirSync(path.dirname(target), { recursive: true })
      fs.copyFileSync(full, target)
      copied++
    }
  }
}
walk(src)
console.log(`Copied ${copied} templates and data files to dist/`)
