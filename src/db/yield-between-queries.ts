import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely'

/**
 * The embedded database answers on the main thread, and its answers resolve as microtasks: a
 * run of awaited queries would otherwise hold the event loop from the first to the last, so one
 * report could stall every other request for its whole duration. After each query this gives
 * the event loop a turn (setImmediate), so other requests go on between a report's queries.
 * Used by the report paths on PGlite; PostgreSQL answers over the network and needs nothing.
 */
export class YieldBetweenQueries implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await new Promise<void>((resolve) => setImmediate(resolve))
    return args.result
  }
}

export const yieldBetweenQueries = new YieldBetweenQueries()
