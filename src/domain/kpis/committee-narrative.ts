import { financialYearLabel, formatLongDate } from './periods.js'
import type { Headline } from './figures.js'

/**
 * The performance section of the scrutiny committee report, written from the figures in the
 * style of seed 000 §5. Words only state what the data says; judgement is left to the author.
 */
export interface NarrativeInput {
  financialYear: number
  /** The last date the figures cover: the year's end, or today while the year is running. */
  throughDate: string
  current: Headline
  previous: Headline
  targetWorkingDays: number
  /** Names of the services that referred in the year, in the organisation's order. */
  referringServices: readonly string[]
}

export interface NarrativeParagraph {
  key: 'volume' | 'target' | 'onward' | 'services'
  text: string
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty']

/** "two", "ten", "21": words up to twenty, as a report would write them. */
export function numberInWords(n: number): string {
  return n >= 0 && n < NUMBER_WORDS.length ? NUMBER_WORDS[n]! : n.toLocaleString('en-GB')
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** "A, B and C" */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`
}

export function committeeNarrative(input: NarrativeInput): NarrativeParagraph[] {
  const year = financialYearLabel(input.financialYear)
  const previousYear = financialYearLabel(input.financialYear - 1)
  const yearEnd = `${input.financialYear + 1}-03-31`
  const partial = input.throughDate < yearEnd
  const span = partial ? ` (1 April ${input.financialYear} to ${formatLongDate(input.throughDate)})` : ''
  const { current, previous } = input
  const paragraphs: NarrativeParagraph[] = []

  paragraphs.push({
    key: 'volume',
    text:
      `During ${year}${span} DSOs managed a total of ${plural(current.received, 'referral')} from members of staff. ` +
      `This compared with ${plural(previous.received, 'referral')} received during ${previousYear}.`,
  })

  const days = `${numberInWords(input.targetWorkingDays)} working day${input.targetWorkingDays === 1 ? '' : 's'}`
  if (current.withinTarget.percent === null) {
    paragraphs.push({ key: 'target', text: `During ${year} no new referrals had yet reached the corporate target of ${days}.` })
  } else {
    const late = current.withinTarget.of - current.withinTarget.n
    paragraphs.push({
      key: 'target',
      text:
        `During ${year} ${current.withinTarget.percent}% of new referrals were addressed within the corporate target of ${days}` +
        (late > 0 ? ` (${plural(late, 'referral')} took longer).` : '.'),
    })
  }

  if (current.onwardReferral.percent === null) {
    paragraphs.push({ key: 'onward', text: `No referrals made during ${year} had a recorded decision yet.` })
  } else {
    const compared = previous.onwardReferral.percent === null ? `No decisions were recorded for ${previousYear}.` : `This compared with ${previous.onwardReferral.percent}% in ${previousYear}.`
    paragraphs.push({
      key: 'onward',
      text: `${current.onwardReferral.percent}% of safeguarding referrals made during ${year} resulted in a DSO making an onward referral to support agencies. ${compared}`,
    })
  }

  const services = input.referringServices
  paragraphs.push({
    key: 'services',
    text:
      services.length === 0
        ? `No Council services made referrals during ${year}.`
        : `${capitalise(numberInWords(services.length))} different Council service${services.length === 1 ? '' : 's'} made referrals during the period. ` +
          `The referrals were received from ${listInWords(services)}.`,
  })
  return paragraphs
}
