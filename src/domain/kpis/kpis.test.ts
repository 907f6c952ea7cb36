import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import holidays from '../../db/reference/bank-holidays-england-and-wales.json' with { type: 'json' }
import { addCalendarDays, computeDeadline, workingDaysAfter } from '../working-days.js'
import { ageRows, DEFAULT_AGE_SETTINGS, parseAgeBandSettings, parseAgeFilter } from './age-bands.js'
import { committeeNarrative, listInWords, numberInWords } from './committee-narrative.js'
import { concernFacts, isAdultConcern, normaliseName, personKey, type ConcernForFacts } from './concern-facts.js'
import { addCount, emptyCounts, headline, medianOf, mergeCounts, ratio } from './figures.js'
import { financialYearOf, monthRuns, monthSplit, monthsOf, periodLabel, quarterPeriod, quarterRange, yearEarlier, yearPeriod, customPeriod } from './periods.js'
import { roundToFive, shownCount, shownPercent } from './suppression.js'
import { WorkingDayCounter } from './working-day-counter.js'

const bankHolidays = new Set(holidays.events.map((e) => e.date))
const rule = { targetDays: 2 }

function concern(over: Partial<ConcernForFacts>): ConcernForFacts {
  const received = over.received_at ?? new Date('2022-05-09T09:00:00Z')
  return {
    id: '00000000-0000-7000-8000-000000000001',
    restricted: false,
    received_at: received,
    due_at: computeDeadline(received, rule, bankHolidays),
    addressed_at: null,
    closed_at: null,
    referrer_service_id: '00000000-0000-7000-8000-0000000000aa',
    at_risk: 'adult',
    person_name: 'Ada Lovelace',
    person_date_of_birth: '1950-01-01',
    person_age_years: null,
    person_postcode: null,
    concern_types: ['adult:Self-Neglect'],
    confirmed_types: null,
    location: 'Own Home',
    source_of_risk: null,
    decision: null,
    risk_level: null,
    sac_outcome: null,
    risk_outcome: null,
    msp_asked: null,
    msp_achieved: null,
    reopened_count: 0,
    person_id: null,
    name_unknown: false,
    ...over,
  }
}

const counter = new WorkingDayCounter('2021-01-01', '2024-12-31', bankHolidays)

describe('financial years and periods', () => {
  it('runs April to March, with quarters Q1 April–June … Q4 January–March', () => {
    assert.equal(financialYearOf('2023-03-31'), 2022)
    assert.equal(financialYearOf('2023-04-01'), 2023)
    assert.deepEqual(quarterRange(2022, 1), { from: '2022-04-01', to: '2022-06-30' })
    assert.deepEqual(quarterRange(2022, 4), { from: '2023-01-01', to: '2023-03-31' })
    assert.equal(periodLabel(yearPeriod(2022)), '2022-23 (1 April 2022 to 31 March 2023)')
    assert.equal(periodLabel(quarterPeriod(2022, 4)), 'Q4 2022-23 (January to March 2023)')
  })

  it('compares with the same period a year earlier, even from 29 February', () => {
    assert.deepEqual(yearEarlier(quarterPeriod(2022, 3)), quarterPeriod(2021, 3))
    assert.deepEqual(yearEarlier(customPeriod('2024-02-29', '2024-03-31')), customPeriod('2023-02-28', '2023-03-31'))
  })

  it('reads whole months from monthly counts and only the ends from daily counts', () => {
    assert.deepEqual(monthSplit({ from: '2022-04-01', to: '2023-03-31' }), { months: { from: '2022-04-01', to: '2023-03-01' }, days: [] })
    assert.deepEqual(monthSplit({ from: '2022-04-15', to: '2022-07-10' }), { months: { from: '2022-05-01', to: '2022-06-01' }, days: [{ from: '2022-04-15', to: '2022-04-30' }, { from: '2022-07-01', to: '2022-07-10' }] })
    assert.deepEqual(monthSplit({ from: '2022-04-15', to: '2022-04-20' }), { months: null, days: [{ from: '2022-04-15', to: '2022-04-20' }] })
    assert.deepEqual(monthSplit({ from: '2024-02-01', to: '2024-02-29' }), { months: { from: '2024-02-01', to: '2024-02-01' }, days: [] })
  })

  it('splits any range into whole months and the days at its ends, covering each day exactly once', () => {
    const day = fc.integer({ min: Date.UTC(1990, 0, 1) / 86_400_000, max: Date.UTC(2100, 11, 31) / 86_400_000 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10))
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 800 }), (from, length) => {
        const to = addCalendarDays(from, length)
        const split = monthSplit({ from, to })
        const covered: string[] = []
        for (let m = split.months?.from; split.months && m! <= split.months.to; m = addCalendarDays(m!, 32).slice(0, 8) + '01') {
          assert.ok(m!.endsWith('-01'))
          for (let d = m!; d.slice(0, 7) === m!.slice(0, 7); d = addCalendarDays(d, 1)) covered.push(d)
        }
        for (const part of split.days) for (let d = part.from; d <= part.to; d = addCalendarDays(d, 1)) covered.push(d)
        covered.sort()
        const expected: string[] = []
        for (let d = from; d <= to; d = addCalendarDays(d, 1)) expected.push(d)
        assert.deepEqual(covered, expected)
        // Days are read only where a month is not whole.
        for (const part of split.days) assert.ok(!(part.from.endsWith('-01') && addCalendarDays(part.to, 1).endsWith('-01')), `a whole month read day by day: ${part.from}–${part.to}`)
      }),
      { numRuns: 300 },
    )
  })

  it('splits whole months into runs of at most a quarter, across a year end', () => {
    assert.deepEqual(monthRuns({ from: '2022-04-01', to: '2023-03-01' }, 3), [
      { from: '2022-04-01', to: '2022-06-01' },
      { from: '2022-07-01', to: '2022-09-01' },
      { from: '2022-10-01', to: '2022-12-01' },
      { from: '2023-01-01', to: '2023-03-01' },
    ])
    assert.deepEqual(monthRuns({ from: '2022-11-01', to: '2023-02-01' }, 3), [
      { from: '2022-11-01', to: '2023-01-01' },
      { from: '2023-02-01', to: '2023-02-01' },
    ])
    assert.deepEqual(monthRuns({ from: '2024-02-01', to: '2024-02-01' }, 3), [{ from: '2024-02-01', to: '2024-02-01' }])
  })

  it('splits a period into calendar months clipped to it', () => {
    assert.deepEqual(monthsOf({ from: '2022-04-15', to: '2022-06-02' }).map((m) => m.range), [
      { from: '2022-04-15', to: '2022-04-30' },
      { from: '2022-05-01', to: '2022-05-31' },
      { from: '2022-06-01', to: '2022-06-02' },
    ])
  })
})

describe('working days for reports', () => {
  it('agrees with working-days.ts on every pair of dates', () => {
    const day = fc.integer({ min: 0, max: 1400 }).map((n) => new Date(Date.UTC(2021, 0, 1 + n)).toISOString().slice(0, 10))
    fc.assert(
      fc.property(day, day, (a, b) => {
        assert.equal(counter.between(a, b), workingDaysAfter(a, b, bankHolidays))
      }),
      { numRuns: 150 },
    )
  })
})

describe('facts about one concern', () => {
  it('puts a concern received on 31 March and addressed on 1 April in two financial years: received in one, decided in the next', () => {
    const f = concernFacts(concern({ received_at: new Date('2022-03-31T15:00:00+01:00'), addressed_at: new Date('2022-04-01T09:30:00+01:00'), decision: 'onward_referral' }), rule, counter)
    assert.equal(f.received_on, '2022-03-31')
    assert.equal(f.addressed_on, '2022-04-01')
    assert.equal(financialYearOf(f.received_on), 2021)
    assert.equal(financialYearOf(f.addressed_on!), 2022)
    assert.equal(f.within_target, true)
    assert.equal(f.wd_to_address, 1)
  })

  it('counts a concern addressed exactly at its deadline as within the target, and one a millisecond later as not', () => {
    const received = new Date('2022-12-22T10:00:00Z') // Thu: due end of Wed 28 Dec 2022
    const due = computeDeadline(received, rule, bankHolidays)
    assert.equal(due.toISOString(), '2022-12-28T23:59:59.999Z')
    assert.equal(concernFacts(concern({ received_at: received, due_at: due, addressed_at: due }), rule, counter).within_target, true)
    assert.equal(concernFacts(concern({ received_at: received, due_at: due, addressed_at: new Date(due.getTime() + 1) }), rule, counter).within_target, false)
    assert.equal(concernFacts(concern({ received_at: received, due_at: due, addressed_at: due }), rule, counter).wd_to_address, 2)
  })

  it('uses London dates across the clock change, and the cut-off time for day zero', () => {
    // 23:30 UTC on Sat 29 October 2022 was 00:30 BST on Sunday 30th in London (the clocks went back at 02:00).
    const f = concernFacts(concern({ received_at: new Date('2022-10-29T23:30:00Z'), addressed_at: new Date('2022-10-31T10:00:00Z') }), rule, counter)
    assert.equal(f.received_on, '2022-10-30')
    assert.equal(f.wd_to_address, 1)
    const late = concernFacts(concern({ received_at: new Date('2022-05-09T17:30:00+01:00'), addressed_at: new Date('2022-05-11T10:00:00+01:00') }), { targetDays: 2, cutOffTime: '17:00' }, counter)
    assert.equal(late.wd_to_address, 1, 'after the cut-off, day zero is the next day')
  })

  it('takes the age on the day received, and the DSO’s confirmed types over the referrer’s', () => {
    const f = concernFacts(concern({ person_date_of_birth: '1937-05-10', received_at: new Date('2022-05-09T10:00:00+01:00'), confirmed_types: ['adult:Physical Abuse'] }), rule, counter)
    assert.equal(f.age_years, 84, 'the 85th birthday was the next day')
    assert.deepEqual(f.types, ['adult:Physical Abuse'])
    assert.equal(concernFacts(concern({ at_risk: 'unborn', person_date_of_birth: null, person_age_years: 24 }), rule, counter).age_years, null)
  })

  it('treats a concern as adult for the Collection when it is about an adult or has an adult type', () => {
    assert.equal(isAdultConcern('household', ['child:Neglect', 'adult:Domestic Abuse']), true)
    assert.equal(isAdultConcern('child', ['child:Neglect']), false)
  })

  it('knows a person by the person index, else by name and date of birth, else name and postcode; never by name alone', () => {
    assert.equal(personKey(concern({ person_id: 'abc' }))?.basis, 'person_index')
    assert.deepEqual(personKey(concern({ person_name: 'Jo  SMITH' })), personKey(concern({ person_name: 'jo smith' })))
    assert.notDeepEqual(personKey(concern({ person_name: 'Jo Smith' })), personKey(concern({ person_name: 'Jo Smith', person_date_of_birth: '1951-01-01' })))
    assert.equal(personKey(concern({ person_date_of_birth: null, person_postcode: 'LE67 3FJ' }))?.basis, 'name_and_postcode')
    assert.equal(personKey(concern({ person_date_of_birth: null, person_postcode: null })), null)
    assert.equal(personKey(concern({ name_unknown: true })), null)
    assert.ok(!personKey(concern({}))!.key.includes('ada'), 'stored as a hash, not a name')
    assert.equal(normaliseName('  Zoë   O’Brien '), 'zoe o brien')
  })
})

describe('headline indicators from counts', () => {
  const counts = () => {
    const c = emptyCounts()
    addCount(c, 'received', '', 130)
    addCount(c, 'addressed', '', 128)
    addCount(c, 'within_target', '', 128)
    addCount(c, 'decided', '', 130)
    addCount(c, 'decided_onward', '', 121)
    for (const s of ['a', 'b', 'c']) addCount(c, 'received.service', s, 10)
    addCount(c, 'received.service', 'd', 0)
    return c
  }

  it('divides addressed-in-time by (addressed + deadline passed unaddressed), and onward referrals by decisions', () => {
    const h = headline(counts(), { unaddressedPastDeadline: 2, openAtEnd: 7 })
    assert.deepEqual(h.withinTarget, { n: 128, of: 130, percent: 98 })
    assert.deepEqual(h.onwardReferral, { n: 121, of: 130, percent: 93 })
    assert.equal(h.referringServices, 3, 'services with no referrals are not counted')
    assert.equal(h.openAtEnd, 7)
  })

  it('rounds percentages to whole numbers, and says nothing rather than 0% when there is nothing to count', () => {
    assert.equal(ratio(116, 125).percent, 93)
    assert.equal(ratio(1, 8).percent, 13)
    assert.equal(ratio(0, 0).percent, null)
  })

  it('takes the median of a histogram of working days', () => {
    assert.equal(medianOf(new Map([['0', 1], ['1', 1], ['2', 1], ['3', 1]])), 1.5)
    assert.equal(medianOf(new Map([['1', 5], ['9', 1]])), 1)
    assert.equal(medianOf(new Map()), null)
  })

  it('adds months into quarters without double counting', () => {
    const a = emptyCounts()
    addCount(a, 'received', '', 2)
    const b = emptyCounts()
    addCount(b, 'received', '', 3)
    assert.equal(mergeCounts([a, b]).get('received')!.get(''), 5)
  })
})

describe('age bands', () => {
  it('uses the Safeguarding Adults Collection bands with an 85 and over total by default', () => {
    const rows = ageRows(new Map([['84', 1], ['85', 2], ['96', 1], ['unknown', 3], ['unborn', 1]]), DEFAULT_AGE_SETTINGS)
    const by = Object.fromEntries(rows.map((r) => [r.label, r.n]))
    assert.equal(by['75 to 84'], 1)
    assert.equal(by['85 to 94'], 2)
    assert.equal(by['95 and over'], 1)
    assert.equal(by['85 and over (total)'], 3)
    assert.equal(by['Age not known'], 3)
    assert.equal(by.Unborn, 1)
  })

  it('accepts other bands that keep children and adults apart, and refuses the rest', () => {
    assert.deepEqual(parseAgeBandSettings('0, 18, 65', ''), { ok: true, settings: { starts: [0, 18, 65], totalFrom: null } })
    assert.equal(parseAgeBandSettings('0, 16, 65', '').ok, false)
    assert.equal(parseAgeBandSettings('5, 18', '').ok, false)
    assert.equal(parseAgeBandSettings('0, 18, 18', '').ok, false)
    assert.equal(parseAgeBandSettings('0, 18, 65', '70').ok, false)
    assert.equal(parseAgeBandSettings('0, eighteen', '').ok, false)
  })

  it('reads age filters from case-list links strictly', () => {
    assert.deepEqual(parseAgeFilter('18-64'), { lo: 18, hi: 64 })
    assert.deepEqual(parseAgeFilter('85+'), { lo: 85, hi: null })
    assert.equal(parseAgeFilter('64-18'), null)
    assert.equal(parseAgeFilter('x'), null)
  })
})

describe('small numbers', () => {
  it('shows counts of 1 to 4 as [c] when sharing, and rounds to the nearest 5 when asked', () => {
    const shared = { suppress: true, roundToFive: false }
    assert.deepEqual([0, 1, 4, 5, 12].map((n) => shownCount(n, shared)), ['0', '[c]', '[c]', '5', '12'])
    assert.deepEqual([5, 7, 8, 12, 13].map((n) => shownCount(n, { suppress: true, roundToFive: true })), ['5', '5', '10', '10', '15'])
    assert.equal(shownCount(3, { suppress: false, roundToFive: false }), '3')
    assert.equal(shownPercent(3, 40, shared), '[c]')
    assert.equal(shownPercent(10, 40, shared), '25%')
    assert.equal(roundToFive(2.5), 5)
  })
})

describe('the committee report’s words', () => {
  const h = (received: number, within: [number, number], onward: [number, number]) => headline(
    (() => {
      const c = emptyCounts()
      addCount(c, 'received', '', received)
      addCount(c, 'addressed', '', within[1])
      addCount(c, 'within_target', '', within[0])
      addCount(c, 'decided', '', onward[1])
      addCount(c, 'decided_onward', '', onward[0])
      return c
    })(),
    { unaddressedPastDeadline: 0, openAtEnd: 0 },
  )

  it('writes seed 000 §5 from figures', () => {
    const text = committeeNarrative({
      financialYear: 2022,
      throughDate: '2023-03-31',
      current: h(130, [130, 130], [121, 130]),
      previous: h(125, [125, 125], [116, 125]),
      targetWorkingDays: 2,
      referringServices: ['Customer Services', 'Housing Management', 'Leisure Services'],
    }).map((p) => p.text)
    assert.deepEqual(text, [
      'During 2022-23 DSOs managed a total of 130 referrals from members of staff. This compared with 125 referrals received during 2021-22.',
      'During 2022-23 100% of new referrals were addressed within the corporate target of two working days.',
      '93% of safeguarding referrals made during 2022-23 resulted in a DSO making an onward referral to support agencies. This compared with 93% in 2021-22.',
      'Three different Council services made referrals during the period. The referrals were received from Customer Services, Housing Management and Leisure Services.',
    ])
  })

  it('spells small numbers and joins lists as a report would', () => {
    assert.equal(numberInWords(10), 'ten')
    assert.equal(numberInWords(21), '21')
    assert.equal(listInWords(['A']), 'A')
    assert.equal(listInWords(['A', 'B', 'C']), 'A, B and C')
  })
})
