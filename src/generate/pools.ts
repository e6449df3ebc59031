/** Small name and place pools for synthetic customers (US-style addresses). */
export const FIRST_NAMES_F = [
  'mary', 'patricia', 'jennifer', 'linda', 'elizabeth', 'barbara', 'susan', 'jessica', 'sarah', 'karen', 'nancy', 'lisa',
  'margaret', 'betty', 'sandra', 'ashley', 'dorothy', 'kimberly', 'emily', 'donna', 'michelle', 'carol', 'amanda', 'melissa',
  'deborah', 'stephanie', 'rebecca', 'laura', 'sharon', 'cynthia', 'kathleen', 'amy', 'shirley', 'angela', 'helen', 'anna',
  'brenda', 'pamela', 'nicole', 'samantha', 'katherine', 'emma', 'ruth', 'christine', 'catherine', 'debra', 'rachel', 'carolyn',
  'janet', 'virginia', 'maria', 'heather', 'diane', 'julie', 'joyce', 'victoria', 'kelly', 'christina', 'lauren', 'joan',
  'evelyn', 'olivia', 'judith', 'megan', 'cheryl', 'martha', 'andrea', 'frances', 'hannah', 'jacqueline', 'ann', 'gloria',
  'jean', 'kathryn', 'alice', 'teresa', 'sara', 'janice', 'doris', 'madison', 'julia', 'grace', 'judy', 'abigail', 'marie',
  'denise', 'beverly', 'amber', 'theresa', 'marilyn', 'danielle', 'diana', 'brittany', 'natalie', 'sophia', 'rose', 'isabella',
];
export const FIRST_NAMES_M = [
  'james', 'robert', 'john', 'michael', 'david', 'william', 'richard', 'joseph', 'thomas', 'christopher', 'charles', 'daniel',
  'matthew', 'anthony', 'mark', 'donald', 'steven', 'paul', 'andrew', 'joshua', 'kenneth', 'kevin', 'brian', 'george',
  'timothy', 'ronald', 'edward', 'jason', 'jeffrey', 'ryan', 'jacob', 'gary', 'nicholas', 'eric', 'jonathan', 'stephen',
  'larry', 'justin', 'scott', 'brandon', 'benjamin', 'samuel', 'gregory', 'alexander', 'frank', 'patrick', 'raymond', 'jack',
  'dennis', 'jerry', 'tyler', 'aaron', 'jose', 'adam', 'nathan', 'henry', 'douglas', 'zachary', 'peter', 'kyle', 'ethan',
  'walter', 'noah', 'jeremy', 'christian', 'keith', 'roger', 'terry', 'gerald', 'harold', 'sean', 'austin', 'carl', 'arthur',
  'lawrence', 'dylan', 'jesse', 'jordan', 'bryan', 'billy', 'joe', 'bruce', 'gabriel', 'logan', 'albert', 'willie', 'alan',
  'juan', 'wayne', 'elijah', 'randy', 'roy', 'vincent', 'ralph', 'eugene', 'russell', 'bobby', 'mason', 'philip', 'louis',
];
export const SURNAMES = [
  'smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez', 'lopez',
  'gonzalez', 'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'martin', 'lee', 'perez', 'thompson', 'white',
  'harris', 'sanchez', 'clark', 'ramirez', 'lewis', 'robinson', 'walker', 'young', 'allen', 'king', 'wright', 'scott',
  'torres', 'nguyen', 'hill', 'flores', 'green', 'adams', 'nelson', 'baker', 'hall', 'rivera', 'campbell', 'mitchell',
  'carter', 'roberts', 'gomez', 'phillips', 'evans', 'turner', 'diaz', 'parker', 'cruz', 'edwards', 'collins', 'reyes',
  'stewart', 'morris', 'morales', 'murphy', 'cook', 'rogers', 'gutierrez', 'ortiz', 'morgan', 'cooper', 'peterson', 'bailey',
  'reed', 'kelly', 'howard', 'ramos', 'kim', 'cox', 'ward', 'richardson', 'watson', 'brooks', 'chavez', 'wood', 'james',
  'bennett', 'gray', 'mendoza', 'ruiz', 'hughes', 'price', 'alvarez', 'castillo', 'sanders', 'patel', 'myers', 'long', 'ross',
  'foster', 'jimenez', 'powell', 'jenkins', 'perry', 'russell', 'sullivan', 'bell', 'coleman', 'butler', 'henderson', 'barnes',
  'gonzales', 'fisher', 'vasquez', 'simmons', 'romero', 'jordan', 'patterson', 'alexander', 'hamilton', 'graham', 'reynolds',
  'griffin', 'wallace', 'moreno', 'west', 'cole', 'hayes', 'bryant', 'herrera', 'gibson', 'ellis', 'tran', 'medina', 'aguilar',
  'stevens', 'murray', 'ford', 'castro', 'marshall', 'owens', 'harrison', 'fernandez', 'mcdonald', 'woods', 'washington', 'kennedy',
  'wells', 'vargas', 'henry', 'chen', 'freeman', 'webb', 'tucker', 'guzman', 'burns', 'crawford', 'olson', 'simpson', 'porter',
  'hunter', 'gordon', 'mendez', 'silva', 'shaw', 'snyder', 'mason', 'dixon', 'munoz', 'hunt', 'hicks', 'holmes', 'palmer',
  'wagner', 'black', 'robertson', 'boyd', 'rose', 'stone', 'salazar', 'fox', 'warren', 'mills', 'meyer', 'rice', 'schmidt',
  'garza', 'daniels', 'ferguson', 'nichols', 'stephens', 'soto', 'weaver', 'ryan', 'gardner', 'payne', 'grant', 'dunn', 'kelley',
  'spencer', 'hawkins', 'arnold', 'pierce', 'vazquez', 'hansen', 'peters', 'santos', 'hart', 'bradley', 'knight', 'elliott',
  'cunningham', 'duncan', 'armstrong', 'hudson', 'carroll', 'lane', 'riley', 'andrews', 'alvarado', 'ray', 'delgado', 'berry',
  'perkins', 'hoffman', 'johnston', 'matthews', 'pena', 'richards', 'contreras', 'willis', 'carpenter', 'lawrence', 'sandoval',
];
export const STREETS = [
  'main', 'oak', 'pine', 'maple', 'cedar', 'elm', 'washington', 'lake', 'hill', 'park', 'view', 'sunset', 'highland', 'river',
  'church', 'mill', 'walnut', 'spring', 'north', 'ridge', 'meadow', 'forest', 'jefferson', 'lincoln', 'madison', 'franklin',
  'chestnut', 'willow', 'adams', 'jackson', 'center', 'union', 'prospect', 'cherry', 'spruce', 'woodland', 'valley', 'birch',
  'dogwood', 'laurel', 'holly', 'magnolia', 'poplar', 'sycamore', 'hickory', 'aspen', 'juniper', 'lakeview', 'orchard', 'bay',
];
export const STREET_TYPES = ['Street', 'Avenue', 'Road', 'Drive', 'Lane', 'Court', 'Place', 'Boulevard', 'Way', 'Terrace'];
export const CITIES: Array<{ city: string; state: string; zip: number; area: number }> = [
  { city: 'Springfield', state: 'IL', zip: 62701, area: 217 }, { city: 'Madison', state: 'WI', zip: 53703, area: 608 },
  { city: 'Portland', state: 'OR', zip: 97201, area: 503 }, { city: 'Austin', state: 'TX', zip: 78701, area: 512 },
  { city: 'Columbus', state: 'OH', zip: 43215, area: 614 }, { city: 'Denver', state: 'CO', zip: 80202, area: 303 },
  { city: 'Raleigh', state: 'NC', zip: 27601, area: 919 }, { city: 'Boise', state: 'ID', zip: 83702, area: 208 },
  { city: 'Albany', state: 'NY', zip: 12207, area: 518 }, { city: 'Richmond', state: 'VA', zip: 23219, area: 804 },
  { city: 'Salem', state: 'MA', zip: 1970, area: 978 }, { city: 'Dayton', state: 'OH', zip: 45402, area: 937 },
  { city: 'Tucson', state: 'AZ', zip: 85701, area: 520 }, { city: 'Fresno', state: 'CA', zip: 93721, area: 559 },
  { city: 'Omaha', state: 'NE', zip: 68102, area: 402 }, { city: 'Tulsa', state: 'OK', zip: 74103, area: 918 },
  { city: 'Wichita', state: 'KS', zip: 67202, area: 316 }, { city: 'Toledo', state: 'OH', zip: 43604, area: 419 },
  { city: 'Reno', state: 'NV', zip: 89501, area: 775 }, { city: 'Spokane', state: 'WA', zip: 99201, area: 509 },
  { city: 'Des Moines', state: 'IA', zip: 50309, area: 515 }, { city: 'Knoxville', state: 'TN', zip: 37902, area: 865 },
  { city: 'Savannah', state: 'GA', zip: 31401, area: 912 }, { city: 'Burlington', state: 'VT', zip: 5401, area: 802 },
];
export const EMAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'aol.com', 'proton.me', 'comcast.net'];
