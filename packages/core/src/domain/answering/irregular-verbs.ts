// English verbs whose past forms share no stem with their base ("sell" / "sold", "write" / "wrote" /
// "written"): a shared prefix cannot match them, so a question asking "who wrote…" or "to whom did it
// sell…" missed the passage saying "written by" or "sold". The common irregular verbs, each line a
// base and its forms; forms that are also other words (left, saw, felt, rose, lay, lead, found, bore)
// are left out.
const IRREGULAR = `
begin began begun begins beginning
bring brought brings bringing
build built builds building
buy bought buys buying
catch caught catches catching
choose chose chosen chooses choosing
come came comes coming
draw drew drawn draws drawing
drive drove driven drives driving
eat ate eaten eats eating
fight fought fights fighting
find finds finding
fly flew flown flies flying
forget forgot forgotten forgets forgetting
freeze froze frozen freezes freezing
get got gotten gets getting
give gave given gives giving
go went gone goes going
grow grew grown grows growing
hold held holds holding
keep kept keeps keeping
know knew known knows knowing
lose lost loses losing
make made makes making
meet met meets meeting
pay paid pays paying
ride rode ridden rides riding
ring rang rung rings ringing
rise risen rises rising
run ran runs running
say said says saying
seek sought seeks seeking
sell sold sells selling
send sent sends sending
shoot shot shoots shooting
sing sang sung sings singing
sink sank sunk sinks sinking
sit sat sits sitting
sleep slept sleeps sleeping
speak spoke spoken speaks speaking
spend spent spends spending
stand stood stands standing
steal stole stolen steals stealing
strike struck strikes striking
swim swam swum swims swimming
take took taken takes taking
teach taught teaches teaching
tell told tells telling
think thought thinks thinking
throw threw thrown throws throwing
understand understood understands understanding
wake woke woken wakes waking
wear wore worn wears wearing
win won wins winning
write wrote written writes writing
`;

const BASE = new Map<string, string>();
for (const line of IRREGULAR.split('\n')) {
  const [base, ...forms] = line.trim().split(/\s+/);
  if (!base) continue;
  for (const f of [base, ...forms]) BASE.set(f, base);
}

/** True when two folded English words are forms of one irregular verb ("sold" and "sell"). */
export function sameVerb(a: string, b: string): boolean {
  if (a === b) return false;
  const base = BASE.get(a);
  return base !== undefined && base === BASE.get(b);
}
