import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { matchPerson, nameSimilarity, rankMatches, trigrams, type PersonCandidate } from './person-matching.js'

const today = '2026-03-10'
const johnSmith: PersonCandidate = { id: 'p1', name: 'John Smith', dateOfBirth: '1961-04-02', postcode: 'WM4 7QT' }

describe('person matching', () => {
  it('splits names into pg_trgm trigrams', () => {
    assert.deepEqual([...trigrams('Jon')].sort(), ['  j', ' jo', 'jon', 'on '])
    assert.equal(trigrams('JON').size, 4, 'case does not matter')
  })

  it('scores similarity as pg_trgm does', () => {
    assert.equal(nameSimilarity('John Smith', 'john smith'), 1)
    assert.equal(nameSimilarity('Jon Smyth', 'John Smith'), 5 / 16)
    assert.equal(nameSimilarity('', 'John'), 0)
  })

  it('offers "Jon Smyth" with the same date of birth and postcode as a match to "John Smith"', () => {
    const match = matchPerson({ name: 'Jon Smyth', dateOfBirth: '1961-04-02', postcode: 'wm47qt' }, johnSmith, today)
    assert.ok(match)
    assert.equal(match.strength, 'strong')
    assert.deepEqual(match.reasons, ['Similar name', 'same date of birth', 'same postcode'])
  })

  it('offers the same name with no date of birth known, as a possible match', () => {
    const match = matchPerson({ name: 'John Smith', dateOfBirth: null, postcode: null }, johnSmith, today)
    assert.equal(match?.strength, 'possible')
  })

  it('does not offer someone with a different date of birth, however alike the name', () => {
    assert.equal(matchPerson({ name: 'John Smith', dateOfBirth: '1990-01-01', postcode: 'WM4 7QT' }, johnSmith, today), undefined)
  })

  it('does not offer someone whose approximate age is far from the date of birth', () => {
    assert.equal(matchPerson({ name: 'John Smith', dateOfBirth: null, ageYears: 30, postcode: null }, johnSmith, today), undefined)
    assert.ok(matchPerson({ name: 'John Smith', dateOfBirth: null, ageYears: 64, postcode: null }, johnSmith, today))
  })

  it('does not offer a loosely similar name with nothing else in common', () => {
    assert.equal(matchPerson({ name: 'Jon Smyth', dateOfBirth: null, postcode: 'AB1 2CD' }, johnSmith, today), undefined)
  })

  it('matches on other names too', () => {
    const known: PersonCandidate = { id: 'p2', name: 'Margaret Ellis', otherNames: 'Peggy Ellis', dateOfBirth: '1941-02-28', postcode: null }
    assert.ok(matchPerson({ name: 'Peggy Ellis', dateOfBirth: '1941-02-28', postcode: null }, known, today))
  })

  it('ranks the strongest match first', () => {
    const other: PersonCandidate = { id: 'p3', name: 'John Smith', dateOfBirth: null, postcode: null }
    const ranked = rankMatches({ name: 'John Smith', dateOfBirth: '1961-04-02', postcode: 'WM4 7QT' }, [other, johnSmith], today)
    assert.deepEqual(ranked.map((m) => m.candidate.id), ['p1', 'p3'])
  })
})
