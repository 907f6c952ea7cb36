import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'

/** Repositories take whatever they are given: the database or, far more often, a transaction. */
export type Executor = Kysely<DB> | Transaction<DB>
