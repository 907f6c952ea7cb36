import type { Random } from './random.js'

/** Synthetic accounts in the style staff write them. Every name and place is invented. */
const ADULT: Record<string, readonly string[]> = {
  'Financial or Material Abuse': [
    'During a Right to Buy appointment {name} seemed confused about the application and a younger man who said he was a family friend answered every question for them. He asked how quickly money could be released.',
    'Revenues noticed {name}’s pension is now paid into a new account and council tax has gone unpaid for three months. {name} told me on the phone that a neighbour “looks after the money now”.',
    '{name} rang Customer Services upset because someone on the phone had told them to move their savings to a “safe account”. They had already transferred some money.',
  ],
  'Self-Neglect': [
    'On a gas safety visit the operative found {name} living in one room with no working heating, very little food and rubbish piled to the ceiling in the hall. {name} refused help but was clearly struggling.',
    'Neighbours reported a strong smell from {name}’s flat. When we visited, {name} had not been eating and the property was in a very poor state. They said they did not want anyone to fuss.',
  ],
  'Domestic Abuse': [
    'While I was on a tenancy visit {name} had a fresh bruise on their arm and said their partner “loses his temper”. The partner came home and {name} stopped talking straight away.',
    '{name} came to the Housing Choices desk asking about moving urgently. They disclosed that their ex-partner has been coming to the house at night and making threats.',
  ],
  'Neglect and Acts of Omission': [
    'When I visited {name} at home, their carer had not been for two days and {name} had not taken their medication. There was no food in the fridge.',
  ],
  'Psychological Abuse': [
    'I overheard {name}’s adult son shouting at them and calling them useless during a home visit. {name} looked frightened and said afterwards “he is always like that”.',
  ],
  'Physical Abuse': [
    '{name} came into the leisure centre with marks on their wrists and said someone at home had held them down. They asked me not to tell anyone.',
  ],
  'Modern Slavery': [
    'During an inspection at a car wash, {name} said they worked every day for no pay and that their passport was kept by the manager. They slept on site.',
  ],
  'Sexual Exploitation': [
    'Staff on the estate have seen {name}, who has a learning disability, being picked up late at night by different older men in cars.',
  ],
  'Discriminatory Abuse': [
    '{name} told me they have had eggs thrown at their windows and abuse shouted about their religion for several weeks. They are now afraid to go out.',
  ],
  'Organisational Abuse': [
    'On a visit to the care home for an environmental health inspection I saw residents, including {name}, left in wet clothing for long periods and a member of staff speaking to them harshly.',
  ],
  'Sexual Abuse': [
    '{name} disclosed to a customer services adviser that a relative had touched them sexually without consent. They were very distressed.',
  ],
}

const CHILD: Record<string, readonly string[]> = {
  Neglect: [
    'On a repairs visit I found {name} at home alone during school hours. The house was very cold, there was dog mess on the floor and no food in the kitchen.',
    '{name} regularly comes to the leisure centre hungry and in the same clothes. Today they asked staff for food and said there was none at home.',
  ],
  'Domestic abuse': [
    'While I was at the property a man was shouting and I heard something smash. {name} was in the room and started crying. The mother said it was “nothing”.',
  ],
  'Physical abuse': [
    '{name} had a bruise on their face at swimming lessons and said their stepdad did it because they were naughty.',
  ],
  'Emotional abuse': [
    'I heard {name}’s parent call them stupid and worthless repeatedly in the council office. {name} did not react, as if it was normal.',
  ],
  'Child criminal exploitation / county lines': [
    'Wardens have seen {name} with older teenagers handing over small packages by the shops. {name} has new expensive trainers and a second phone.',
  ],
  'Child sexual exploitation': [
    '{name} has been seen getting into cars with adult men near the bus station after school. They told a youth worker they have an older “boyfriend”.',
  ],
  'Online harm': [
    '{name} told a member of staff at the library that someone they met online has been asking for photos and threatening to share what they already sent.',
  ],
  'Missing from home or care': [
    '{name} was found sleeping in the stairwell of a council block early this morning and said they had not been home for two nights.',
  ],
  Radicalisation: [
    '{name} has been sharing extremist material with other young people at the youth club and talking about violence against a particular group.',
  ],
  'Sexual abuse': ['{name} told a member of staff that an adult family friend makes them keep secrets and touches them.'],
  'Female genital mutilation': ['{name}’s mother mentioned that {name} will be travelling abroad this summer for a “special ceremony” to become a woman.'],
  Other: ['{name} seemed very withdrawn and frightened of going home when the after-school activity finished. They would not say why.'],
}

export function narrativeFor(random: Random, group: 'adult' | 'child', type: string, name: string): string {
  const table = group === 'adult' ? ADULT : CHILD
  const options = table[type] ?? (group === 'adult' ? ADULT['Self-Neglect']! : CHILD['Other']!)
  const firstName = name.split(' ')[0]!
  return random.pick(options).replaceAll('{name}', firstName)
}
