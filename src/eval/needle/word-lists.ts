/**
 * @module eval/needle/word-lists
 * The vocabulary of the synthetic needles: adjectives and nouns for keys, names for characters,
 * and landmark → city pairs for needles that share no word with their question (as in NoLiMa: the
 * link between "lives next to the Semperoper" and "has been to Dresden" is world knowledge, not a
 * shared word). Each list has at least 64 entries, the largest K.
 */

export const ADJECTIVES =
  `amber azure brisk candid coral crimson dapper dusky eager ebony fabled feral frosty gilded
gentle glossy hollow humble ivory jaunty jovial keen lavish lilac lofty lucid mellow misty modest
nimble noble ochre opal placid plucky quaint rapid rosy rustic sable scarlet serene silent silver
slender sombre spry stately stoic sturdy sunny tawny tender thrifty tidy topaz umber valiant velvet
vivid wary wistful witty zesty bronze cobalt dainty`.split(/\s+/);

export const NOUNS =
  `falcon heron otter badger lynx walrus bison marten osprey ferret gecko ibis jackal kestrel
lemur magpie narwhal ocelot pelican quokka raven salmon tapir urchin viper wombat yak zebra
albatross beaver condor dolphin egret finch gazelle hedgehog iguana jaguar koala llama mongoose
newt oriole panther quail robin sparrow toucan vulture weasel puffin bobcat cougar dingo emu
hamster impala kiwi lobster macaw nightjar orca parrot starling swift thrush`.split(/\s+/);

export const NAMES = `Yuki Anand Mirela Tomasz Ingrid Kofi Leilani Dmitri Saoirse Haruto Amara Bastian Chiara
Desmond Elif Farid Greta Hamish Imani Jorge Katya Lionel Mei Nikolai Odette Pavel Quentin Rosalind
Sanjay Thandiwe Ulrich Valentina Wendell Ximena Yusuf Zofia Aurelio Beatrix Cormac Dagny Emeka
Fiorella Gideon Hana Ignatius Jovana Kenji Ludmila Matthias Noor Orla Piotr Ravi Selma Tobias
Ursula Vikram Wilhelmina Xavier Yara Zoltan Anouk Bram Celeste`.split(/\s+/);

/** Landmark → the city it is in; no city shares a word with its landmark. */
export const LANDMARKS: readonly [string, string][] = [
  ['Semperoper', 'Dresden'],
  ['Sagrada Familia', 'Barcelona'],
  ['Hermitage Museum', 'Saint Petersburg'],
  ['Kiyomizu-dera temple', 'Kyoto'],
  ['Table Mountain', 'Cape Town'],
  ['Christ the Redeemer statue', 'Rio de Janeiro'],
  ['Golden Gate Bridge', 'San Francisco'],
  ['Space Needle', 'Seattle'],
  ['Brandenburg Gate', 'Berlin'],
  ['Colosseum', 'Rome'],
  ['Eiffel Tower', 'Paris'],
  ['Acropolis', 'Athens'],
  ['Hagia Sophia', 'Istanbul'],
  ['Petronas Towers', 'Kuala Lumpur'],
  ['Burj Khalifa', 'Dubai'],
  ['Bennelong Point opera house', 'Sydney'],
  ['Charles Bridge', 'Prague'],
  ['Atomium', 'Brussels'],
  ['Little Mermaid statue', 'Copenhagen'],
  ['Rijksmuseum', 'Amsterdam'],
  ['Prado Museum', 'Madrid'],
  ['Alhambra', 'Granada'],
  ['Ponte Vecchio', 'Florence'],
  ['Rialto Bridge', 'Venice'],
  ['Piazza dei Miracoli', 'Pisa'],
  ['Marienplatz', 'Munich'],
  ['Kölner Dom', 'Cologne'],
  ['Schönbrunn Palace', 'Vienna'],
  ["Fisherman's Bastion", 'Budapest'],
  ['Wawel Castle', 'Krakow'],
  ['Bryggen wharf', 'Bergen'],
  ['Vasa Museum', 'Stockholm'],
  ['Sibelius Monument', 'Helsinki'],
  ['Guinness Storehouse', 'Dublin'],
  ["Arthur's Seat", 'Edinburgh'],
  ['Big Ben', 'London'],
  ['Tower of Belém', 'Lisbon'],
  ['Pyramids of Giza', 'Cairo'],
  ['Jemaa el-Fnaa square', 'Marrakesh'],
  ['Taj Mahal', 'Agra'],
  ['Gateway of India', 'Mumbai'],
  ['Forbidden City', 'Beijing'],
  ['Oriental Pearl Tower', 'Shanghai'],
  ['Senso-ji temple', 'Tokyo'],
  ['Gyeongbokgung palace', 'Seoul'],
  ['Marina Bay Sands', 'Singapore'],
  ['Wat Arun', 'Bangkok'],
  ['Shwedagon Pagoda', 'Yangon'],
  ['Statue of Liberty', 'New York'],
  ['Willis Tower', 'Chicago'],
  ['CN Tower', 'Toronto'],
  ['Château Frontenac', 'Quebec'],
  ['Zócalo', 'Mexico City'],
  ['Obelisco', 'Buenos Aires'],
  ['Western Wall', 'Jerusalem'],
  ['Kremlin', 'Moscow'],
  ['Motherland Calls statue', 'Volgograd'],
  ['Sky Tower', 'Auckland'],
  ['Federation Square', 'Melbourne'],
  ['Hollywood sign', 'Los Angeles'],
  ['Dotonbori canal', 'Osaka'],
  ['Victoria Peak', 'Hong Kong'],
  ['Hawa Mahal', 'Jaipur'],
  ['Charminar', 'Hyderabad'],
  ['La Scala', 'Milan'],
  ['Mole Antonelliana', 'Turin'],
];
