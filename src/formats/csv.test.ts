import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { CsvSyntaxError, parseCsv } from './csv-reader.js'
import { csvField, toCsv } from './csv-writer.js'

describe('CSV writer (RFC 4180, safe to open in a spreadsheet)', () => {
  it('quotes fields with commas, quotes and line breaks, doubling quotes', () => {
    assert.equal(csvField('plain'), 'plain')
    assert.equal(csvField('a,b'), '"a,b"')
    assert.equal(csvField('say "hi"'), '"say ""hi"""')
    assert.equal(csvField('two\nlines'), '"two\nlines"')
    assert.equal(csvField(12), '12')
    assert.equal(csvField(null), '')
  })

  it('neutralises text a spreadsheet would run: =, +, -, @, tab and carriage return', () => {
    for (const danger of ['=1+1', '+1', '-1+1', '@SUM(A1)', '\tcmd', '\rcmd']) assert.ok(csvField(danger).replace(/^"/, '').startsWith("'"), JSON.stringify(danger))
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`)
    assert.equal(csvField(-5), '-5', 'numbers are numbers, not formulas')
  })

  it('ends lines with CRLF and starts with a byte-order mark for Excel', () => {
    assert.equal(toCsv([['a', 'b'], [1, 2]]), '\uFEFFa,b\r\n1,2\r\n')
  })

  it('round-trips through the reader for any text (apart from the formula guard)', () => {
    const safe = fc.string({ unit: 'grapheme' }).filter((s) => !/^[=+\-@\t\r]/.test(s))
    fc.assert(
      fc.property(fc.array(fc.array(safe, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        assert.deepEqual(parseCsv(toCsv(rows).slice(1)), rows)
      }),
    )
  })
})

describe('CSV reader', () => {
  it('reads quoted fields, doubled quotes, CRLF or LF line ends and a missing final line end', () => {
    assert.deepEqual(parseCsv('a,"b,c","d ""e"""\r\n1,2,3'), [['a', 'b,c', 'd "e"'], ['1', '2', '3']])
    assert.deepEqual(parseCsv('a,b\n"multi\nline",x\n'), [['a', 'b'], ['multi\nline', 'x']])
  })

  it('refuses broken quoting, naming the line', () => {
    assert.throws(() => parseCsv('a,b\nc,"open'), (e: unknown) => e instanceof CsvSyntaxError && e.line === 2)
    assert.throws(() => parseCsv('a,b"c'), CsvSyntaxError)
    assert.throws(() => parseCsv('"a"b,c'), CsvSyntaxError)
  })
})
