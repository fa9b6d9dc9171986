/**
 * @module expand/irregular-forms
 * Common English irregular inflections, one base per line followed by its irregular forms. The
 * WordNet 3.1 npm package ships no `.exc` exception lists, so this short list stands in for their
 * most frequent entries; regular forms (including doubled consonants and y → i) are left to the
 * rules in `morphology.ts`.
 */

export const IRREGULAR_FORMS = `
man men
woman women
child children
person people
mouse mice
louse lice
goose geese
foot feet
tooth teeth
ox oxen
die dice
penny pence
analysis analyses
axis axes
basis bases
crisis crises
diagnosis diagnoses
ellipsis ellipses
emphasis emphases
hypothesis hypotheses
metamorphosis metamorphoses
neurosis neuroses
oasis oases
parenthesis parentheses
prognosis prognoses
psychosis psychoses
synopsis synopses
synthesis syntheses
thesis theses
criterion criteria
phenomenon phenomena
addendum addenda
bacterium bacteria
curriculum curricula
datum data
erratum errata
maximum maxima
medium media
memorandum memoranda
millennium millennia
minimum minima
ovum ova
quantum quanta
referendum referenda
spectrum spectra
stratum strata
symposium symposia
alumnus alumni
bacillus bacilli
cactus cacti
focus foci
fungus fungi
locus loci
nucleus nuclei
radius radii
stimulus stimuli
syllabus syllabi
alga algae
alumna alumnae
antenna antennae
formula formulae
larva larvae
nebula nebulae
vertebra vertebrae
apex apices
appendix appendices
cortex cortices
helix helices
index indices
matrix matrices
vertex vertices
vortex vortices
corpus corpora
genus genera
calf calves
elf elves
half halves
hoof hooves
knife knives
leaf leaves
life lives
loaf loaves
scarf scarves
self selves
sheaf sheaves
shelf shelves
thief thieves
wharf wharves
wife wives
wolf wolves
arise arose arisen
awake awoke awoken
be am is are was were been
bear bore borne born
beat beaten
become became
begin began begun
behold beheld
bend bent
bind bound
bite bit bitten
bleed bled
blow blew blown
break broke broken
breed bred
bring brought
build built
burn burnt
buy bought
catch caught
choose chose chosen
cling clung
come came
creep crept
deal dealt
dig dug
do does did done
draw drew drawn
dream dreamt
drink drank drunk
drive drove driven
eat ate eaten
fall fell fallen
feed fed
feel felt
fight fought
find found
flee fled
fling flung
fly flew flown
forbid forbade forbidden
foresee foresaw foreseen
forget forgot forgotten
forgive forgave forgiven
freeze froze frozen
get got gotten
give gave given
go goes went gone
grind ground
grow grew grown
hang hung
have has had
hear heard
hide hid hidden
hold held
keep kept
kneel knelt
know knew known
lay laid
lead led
lean leant
leap leapt
learn learnt
leave left
lend lent
lie lay lain
light lit
lose lost
make made
mean meant
meet met
mislead misled
mistake mistook mistaken
overcome overcame
overtake overtook overtaken
overthrow overthrew overthrown
pay paid
prove proven
ride rode ridden
ring rang rung
rise rose risen
run ran
say said
see saw seen
seek sought
sell sold
send sent
sew sewn
shake shook shaken
shine shone
shoot shot
show shown
shrink shrank shrunk
sing sang sung
sink sank sunk
sit sat
slay slew slain
sleep slept
slide slid
sling slung
smell smelt
speak spoke spoken
speed sped
spell spelt
spend spent
spill spilt
spin spun
spit spat
spring sprang sprung
stand stood
steal stole stolen
stick stuck
sting stung
stink stank stunk
stride strode stridden
strike struck stricken
string strung
strive strove striven
swear swore sworn
sweep swept
swell swollen
swim swam swum
swing swung
take took taken
teach taught
tear tore torn
tell told
think thought
throw threw thrown
tread trod trodden
undergo underwent undergone
understand understood
undertake undertook undertaken
undo undid undone
uphold upheld
wake woke woken
wear wore worn
weave wove woven
weep wept
win won
wind wound
withdraw withdrew withdrawn
withhold withheld
wring wrung
write wrote written
good better best
well better best
bad worse worst
badly worse worst
far farther farthest further furthest
little less least
many more most
much more most
old elder eldest
`;
