import type { AppDeps, SignedInContext } from '../../context.js'

/**
 * The home page is a list of panels. Each panel has a template in this folder and a loader that
 * returns its data, or undefined to leave it out for this person. To add a panel, write both and
 * list it in HOME_PANELS.
 */
export interface HomePanel {
  template: string
  load(deps: AppDeps, ctx: SignedInContext): Promise<Record<string, unknown> | undefined>
}

export async function loadPanels(panels: readonly HomePanel[], deps: AppDeps, ctx: SignedInContext) {
  const loaded = []
  for (const panel of panels) {
    const data = await panel.load(deps, ctx)
    if (data) loaded.push({ template: panel.template, data })
  }
  return loaded
}
