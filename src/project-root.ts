import fs from 'node:fs'
import path from 'node:path'

/** The folder holding Kestrel's package.json, whether running from src/ (tsx) or dist/src/ (build). */
export const projectRoot: string = (() => {
  let dir = import.meta.dirname
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'package.json')
    if (fs.existsSync(candidate) && JSON.parse(fs.readFileSync(candidate, 'utf8')).name === 'kestrel') return dir
    dir = path.dirname(dir)
  }
  throw new Error('Cannot find the Kestrel project folder')
})()

export const sourceRoot: string = import.meta.dirname
