import { DrizzleQueryError, type Logger, sql } from 'drizzle-orm'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { beforeAll, describe, expect, it } from 'vitest'
import { StatementParams } from '../../app/services/hash-chain/index.server'
import { type Db, type DbHandle, pgErrorCode, preparedRows, queryRows, schema } from '../../db/client.server'
import { connectionOf, runPrepared } from '../../db/prepared.server'
import { openTestDatabase, testDbKind } from '../support/db'

/**
 * The prepared-statement adapter (db/prepared.server.ts) over each driver's public API. It reaches a transaction's
 * connection through drizzle's session, which drizzle does not document: these tests are what an upgrade of
 * drizzle-orm, postgres.js or PGlite must keep passing.
 */

let handle: DbHandle
let db: Db

/** Thrown to roll a transaction back. */
class Rollback extends Error {}

const count = async (executor: Db) =>
  (await runPrepared<{ n: number }>(executor, 'select count(*)::int as n from prepared_probe', []))[0]!.n

beforeAll(async () => {
  handle = await openTestDatabase('migrated')
  db = handle.db
  // A scratch table in this file's own database.
  await db.execute(sql`create table prepared_probe (id int primary key, note text)`)
})

describe(`prepared statements (${testDbKind()})`, () => {
  it('run on the database outside any transaction', async () => {
    expect(await runPrepared(db, 'select $1::int + 1 as n', [41])).toEqual([{ n: 42 }])
    expect(await preparedRows(db, sql`select ${'预'}::text || ${'备'} as t`)).toEqual([{ t: '预备' }])
  })

  it("inside a transaction run on the transaction's connection: they see its uncommitted writes and are undone with it", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into prepared_probe values (1, 'written by drizzle')`)
        expect(await runPrepared(tx, 'select note from prepared_probe where id = $1', [1])).toEqual([
          { note: 'written by drizzle' },
        ])
        await runPrepared(tx, 'insert into prepared_probe values ($1, $2)', [2, 'written prepared'])
        await preparedRows(tx, sql`insert into prepared_probe values (${3}, ${'written by preparedRows'})`)
        expect(await queryRows(tx, sql`select id from prepared_probe order by id`)).toEqual([
          { id: 1 },
          { id: 2 },
          { id: 3 },
        ])
        if (handle.driver === 'postgres') {
          // The same server process as the transaction's own statements; the pool's other connections see nothing.
          const [viaDrizzle] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`)
          expect(await runPrepared(tx, 'select pg_backend_pid() as pid', [])).toEqual([viaDrizzle])
          expect(await count(db)).toBe(0)
        }
        throw new Rollback()
      }),
    ).rejects.toThrow(Rollback)
    expect(await count(db)).toBe(0)
  })

  it('inside a savepoint are undone with the savepoint, and the transaction goes on', async () => {
    await expect(
      db.transaction(async (tx) => {
        await runPrepared(tx, 'insert into prepared_probe values ($1, $2)', [10, 'outer'])
        await expect(
          tx.transaction(async (savepoint) => {
            await runPrepared(savepoint, 'insert into prepared_probe values ($1, $2)', [11, 'inner'])
            expect(await count(savepoint)).toBe(2)
            throw new Rollback()
          }),
        ).rejects.toThrow(Rollback)
        expect(await runPrepared(tx, 'select id from prepared_probe', [])).toEqual([{ id: 10 }])
        throw new Rollback()
      }),
    ).rejects.toThrow(Rollback)
    expect(await count(db)).toBe(0)
  })

  it('return the rows db.execute() returns, the same on both drivers', async () => {
    const text = `select 42::int as int4, 'text'::text as text, 9007199254740993::bigint::text as big,
                         '{"b":[1,"x",null],"a":true}'::jsonb as json, null::text as nothing, true as flag,
                         '2025-01-02 03:04:05+00'::timestamptz as at, '2025-01-02'::date as day`
    const expected = {
      int4: 42,
      text: 'text',
      big: '9007199254740993',
      json: { a: true, b: [1, 'x', null] },
      nothing: null,
      flag: true,
      // drizzle reads timestamps and dates as PostgreSQL's text on both drivers; so does the adapter.
      at: '2025-01-02 03:04:05+00',
      day: '2025-01-02',
    }
    expect(await runPrepared(db, text, [])).toEqual([expected])
    expect(await queryRows(db, sql.raw(text))).toEqual([expected])
    await db.transaction(async (tx) => {
      expect(await runPrepared(tx, text, [])).toEqual([expected])
    })
  })

  it('pass parameters of every kind the domains use, arrays included', async () => {
    const [row] = await runPrepared(
      db,
      `select $1::int as n, $2::text as t, ($3::bigint + 1)::text as big, $4::jsonb as j, $5::text as nothing,
              $6::uuid as id`,
      [
        7,
        '字',
        9007199254740993n,
        JSON.stringify({ k: [1, 2] }),
        null,
        '00000000-0000-4000-8000-000000000001',
      ],
    )
    expect(row).toEqual({
      n: 7,
      t: '字',
      big: '9007199254740994',
      j: { k: [1, 2] },
      nothing: null,
      id: '00000000-0000-4000-8000-000000000001',
    })

    // A list as one array parameter (the text stays the same whatever its length), quoting included.
    const values = ['a"b', 'c\\d', 'e,f', '{g}', '', null]
    const params = new StatementParams()
    const text = `select u.v, u.i::int as i from unnest(${params.array(values, 'text')}) with ordinality as u(v, i)
                  order by u.i`
    expect(await runPrepared(db, text, params.values)).toEqual(values.map((v, i) => ({ v, i: i + 1 })))

    // A driver-native array.
    expect(
      await runPrepared(db, 'select array_length($1::int[], 1) as n, ($1::int[])[2] as second', [[5, 6, 7]]),
    ).toEqual([{ n: 3, second: 6 }])
  })

  it('fail as db.execute() does: drizzle’s error, with the SQLSTATE on its cause', async () => {
    const viaExecute = await db.execute(sql`select 1 / ${0}::int`).catch((error: unknown) => error)
    const viaAdapter = await runPrepared(db, 'select 1 / $1::int', [0]).catch((error: unknown) => error)
    for (const error of [viaExecute, viaAdapter]) {
      expect(error).toBeInstanceOf(DrizzleQueryError)
      expect(pgErrorCode(error)).toBe('22012')
    }
    expect((viaAdapter as DrizzleQueryError).query).toBe('select 1 / $1::int')
    expect((viaAdapter as DrizzleQueryError).params).toEqual([0])
  })

  it('are logged by the drizzle instance they run on, in its transactions too', async () => {
    const logged: Array<[string, unknown[]]> = []
    const logger: Logger = { logQuery: (query, params) => logged.push([query, params]) }
    const viaLogger = (handle.driver === 'pglite'
      ? drizzlePglite({ client: handle.client, schema, logger })
      : drizzlePostgres({ client: handle.client, schema, logger })) as unknown as Db
    await runPrepared(viaLogger, 'select $1::int as n', [1])
    await viaLogger.transaction(async (tx) => {
      await runPrepared(tx, 'select $1::int as m', [2])
    })
    expect(logged).toContainEqual(['select $1::int as n', [1]])
    expect(logged).toContainEqual(['select $1::int as m', [2]])
    // The application's own database logs nothing (LOG_SQL off).
    logged.length = 0
    await runPrepared(db, 'select 1 as n', [])
    expect(logged).toEqual([])
  })

  it('are refused, loudly, on an executor whose driver connection cannot be found', () => {
    const mock = drizzlePostgres.mock({ schema }) as unknown as Db
    expect(() => connectionOf(mock)).toThrow(/drizzle-orm upgraded/)
  })

  it('are prepared once per connection on postgres.js and then reused, where db.execute() prepares nothing', async () => {
    const text = 'select $1::int * 2 as doubled -- prepared contract'
    const unnamed = 'select $1::int * 3 as tripled -- unnamed contract'
    await db.transaction(async (tx) => {
      for (const n of [1, 2, 3]) expect(await runPrepared(tx, text, [n])).toEqual([{ doubled: n * 2 }])
      // drizzle's own raw statement, with the same kind of text, for contrast.
      expect(await queryRows(tx, sql`select ${1}::int * 3 as tripled -- unnamed contract`)).toEqual([
        { tripled: 3 },
      ])
      const statements = await queryRows<{ statement: string; executions: number }>(
        tx,
        sql`select statement, (generic_plans + custom_plans)::int as executions
            from pg_prepared_statements where statement in (${text}, ${unnamed})`,
      )
      // PGlite runs in this process: a round trip costs nothing there, and its query() prepares nothing.
      expect(statements).toEqual(handle.driver === 'postgres' ? [{ statement: text, executions: 3 }] : [])
    })
  })
})
