import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import holidays from '../db/reference/bank-holidays-england-and-wales.json' with { type: 'json' }
import { generateRotation, isAbsent, monthGrid, monthRange, workingDaysBetween } from './rota.js'

const bankHolidays = new Set(holidays.events.map((e) => e.date))

describe('the duty rota', () => {
  it('December 2022 has 20 working days (weekends and the two Christmas bank holidays skipped)', () => {
    const { first, last } = monthRange('2022-12')
    const days = workingDaysBetween(first, last, bankHolidays)
    assert.equal(days.length, 20)
    assert.ok(!days.includes('2022-12-26') && !days.includes('2022-12-27') && !days.includes('2022-12-24'))
  })

  it('shares duties evenly and skips people on leave', () => {
    const dates = workingDaysBetween('2026-03-02', '2026-03-13', bankHolidays)
    const rota = generateRotation({ dates, dsoIds: ['a', 'b', 'c', 'd', 'e'], absences: [{ userId: 'a', startsOn: '2026-03-02', endsOn: '2026-03-06' }], perDay: 1 })
    for (const d of dates.slice(0, 5)) assert.ok(!rota.get(d)!.includes('a'), `a is on leave on ${d}`)
    const counts = new Map<string, number>()
    for (const ids of rota.values()) for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1)
    assert.deepEqual([...counts.values()].sort(), [2, 2, 2, 2, 2])
  })

  it('leaves a day empty when everyone is away', () => {
    const rota = generateRotation({ dates: ['2026-03-02'], dsoIds: ['a'], absences: [{ userId: 'a', startsOn: '2026-03-01', endsOn: '2026-03-31' }], perDay: 1 })
    assert.deepEqual(rota.get('2026-03-02'), [])
  })

  it('never gives anyone two more duties than anyone else available as often (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 40 }), (people, perDay, days) => {
        const ids = Array.from({ length: people }, (_, i) => `p${i}`)
        const dates = Array.from({ length: days }, (_, i) => `d${String(i).padStart(3, '0')}`)
        const rota = generateRotation({ dates, dsoIds: ids, absences: [], perDay })
        const counts = ids.map((id) => [...rota.values()].filter((d) => d.includes(id)).length)
        for (const d of rota.values()) assert.equal(d.length, Math.min(perDay, people))
        assert.ok(Math.max(...counts) - Math.min(...counts) <= 1)
      }),
    )
  })

  it('knows absences by inclusive date range', () => {
    const absences = [{ userId: 'a', startsOn: '2026-03-02', endsOn: '2026-03-04' }]
    assert.equal(isAbsent('a', '2026-03-04', absences), true)
    assert.equal(isAbsent('a', '2026-03-05', absences), false)
    assert.equal(isAbsent('b', '2026-03-03', absences), false)
  })

  it('draws a Monday-first month grid', () => {
    const weeks = monthGrid('2026-03', bankHolidays, '2026-03-09')
    assert.equal(weeks[0]![0]!.date, '2026-02-23')
    assert.equal(weeks[0]![6]!.date, '2026-03-01')
    assert.ok(weeks.flat().find((c) => c.date === '2026-03-09')!.today)
  })
})
