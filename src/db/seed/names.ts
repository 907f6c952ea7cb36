/** Synthetic people only: common first names and surnames combined at random, fictional streets and a fictional postcode area. */
export const FIRST_NAMES = [
  'Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Ava', 'Noah', 'Mia', 'Jack', 'Ivy', 'Leo', 'Lily', 'Arthur', 'Freya', 'Muhammad', 'Grace',
  'Oscar', 'Florence', 'Charlie', 'Sophia', 'Jacob', 'Evie', 'Thomas', 'Poppy', 'Alfie', 'Ella', 'Henry', 'Rosie', 'Theo', 'Ruby',
  'Margaret', 'Dorothy', 'Brian', 'Kenneth', 'Susan', 'Patricia', 'David', 'Janet', 'Graham', 'Linda', 'Priya', 'Ayesha', 'Tomasz',
  'Agnieszka', 'Kwame', 'Adaeze', 'Sean', 'Siobhan', 'Rhys', 'Megan', 'Callum', 'Chloe', 'Dylan', 'Zara', 'Kai', 'Maya', 'Reece', 'Jade',
]
export const SURNAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright', 'Thompson', 'Evans',
  'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke', 'Jackson', 'Wood', 'Harris', 'Edwards', 'Turner', 'Martin',
  'Cooper', 'Hill', 'Ward', 'Hughes', 'Moore', 'Clark', 'King', 'Harrison', 'Lewis', 'Baker', 'Lee', 'Allen', 'Morris', 'Khan', 'Scott',
  'Watson', 'Davis', 'Parker', 'James', 'Bennett', 'Young', 'Phillips', 'Richardson', 'Mitchell', 'Bailey', 'Carter', 'Cook', 'Singh',
  'Shaw', 'Bell', 'Collins', 'Morgan', 'Kelly', 'Begum', 'Nowak', 'Okafor',
]
export const STREETS = [
  'Mill Lane', 'Church Street', 'Station Road', 'Meadow Close', 'Orchard Way', 'Victoria Road', 'The Crescent', 'Park Avenue',
  'Brook Street', 'Quarry Hill', 'Forest Road', 'Kestrel Court', 'Hawthorn Drive', 'Market Place', 'Ashby Road', 'Coalfield Way',
]
export const TOWNS = ['Wealdmoor', 'Thornby', 'Ashcombe', 'Little Fenwick', 'Coalbrook']
/** "WX" is not a real postcode area, so no demo address can be a real one. */
export const POSTCODE_AREA = 'WX'
