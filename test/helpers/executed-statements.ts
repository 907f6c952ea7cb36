import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely'

/**
 * Records the statements the app actually sends through Kysely, while `on`. Kysely also hands a
 * plugin the sub-queries it builds into a statement (a UNION's second half, a CTE); those are not
 * statements of their own, so a statement is recorded when its result comes back.
 */
export class ExecutedStatements implements KyselyPlugin {
  on = true
  count = 0
  readonly nodes: RootOperationNode[] = []
  readonly #built = new WeakMap<QueryId, RootOperationNode>()

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.#built.set(args.queryId, args.node)
    return args.node
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.on) {
      this.count++
      const node = this.#built.get(args.queryId)
      if (node) this.nodes.push(node)
    }
    return args.result
  }

  reset(): void {
    this.count = 0
    this.nodes.length = 0
  }
}
