import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common'

/**
 * Is a new password too easy to guess? Length alone lets through "passwordpassword" and
 * "123456789012". zxcvbn estimates guesses against about 50,000 common and breached passwords,
 * keyboard patterns, repeats, sequences and dates, and against the person's own details; we refuse
 * anything it scores below 3 of 4 (guessable with fewer than about 10^8 tries). Three or more
 * random words pass easily, as NCSC advises.
 */
const estimator = new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs })

export const MIN_PASSWORD_SCORE = 3

export function isTooEasyToGuess(password: string, personalDetails: readonly string[] = []): boolean {
  // zxcvbn's cost grows with length; past 100 characters a password is not guessable anyway.
  if (password.length > 100) return false
  const inputs = personalDetails.flatMap((detail) => [detail, ...detail.split(/[^\p{L}\p{N}]+/u)]).filter((part) => part.length >= 3)
  return estimator.check(password, inputs).score < MIN_PASSWORD_SCORE
}

export const TOO_EASY_TO_GUESS = 'Your new password is too easy to guess. Try three or more random words, for example ‘copper lantern orchard’'
