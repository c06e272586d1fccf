import { COUNTRIES, type City, type Country } from "./places.ts";
import { fillPattern, weightedPicker, type Rng } from "./random.ts";

/** Given and family names per country, with the diacritics and apostrophes real customers have. */
const NAMES: Record<string, { first: readonly string[]; last: readonly string[] }> = {
  DE: { first: ["Jörg", "Anna", "Lukas", "Lena", "Jürgen", "Sophie", "Maximilian", "Hannah", "Felix", "Käthe", "Uwe", "Marie"], last: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Schäfer", "Becker", "Hoffmann", "Groß", "Köhler", "Wagner", "Krüger"] },
  FR: { first: ["François", "Camille", "Léa", "Hélène", "Jérôme", "Chloé", "Étienne", "Manon", "Noël", "Inès", "Luc", "Anne-Marie"], last: ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Rousseau", "Fournier", "Benoît", "Lemaître", "D'Arcy", "Faure"] },
  NL: { first: ["Daan", "Sanne", "Bram", "Femke", "Joost", "Anouk", "Sem", "Lotte", "Thijs", "Eva", "Ruud", "Marloes"], last: ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "de Jong", "van Dijk", "Meijer", "de Boer", "Mulder", "van 't Hof"] },
  GB: { first: ["John", "Emma", "Oliver", "Charlotte", "Harry", "Amelia", "George", "Olivia", "James", "Isla", "Jack", "Grace"], last: ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts", "Walker", "O'Neill", "Hughes"] },
  IT: { first: ["Giulia", "Luca", "Francesca", "Marco", "Chiara", "Niccolò", "Sofia", "Alessandro", "Martina", "Matteo"], last: ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "D'Angelo", "Gallo"] },
  ES: { first: ["José", "María", "Lucía", "Javier", "Andrés", "Sofía", "Martín", "Begoña", "Íñigo", "Carmen"], last: ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Muñoz", "Jiménez"] },
  BE: { first: ["Lars", "Elise", "Wout", "Margaux", "Arthur", "Louise", "Jules", "Noémie", "Senne", "Fien"], last: ["Peeters", "Janssens", "Maes", "Dubois", "Lambert", "Claes", "Goossens", "Wouters", "Dupont", "Vermeulen"] },
  PL: { first: ["Łukasz", "Zofia", "Paweł", "Małgorzata", "Krzysztof", "Agnieszka", "Michał", "Joanna", "Wojciech", "Katarzyna"], last: ["Wójcik", "Nowak", "Kowalski", "Wiśniewska", "Kamiński", "Lewandowska", "Zieliński", "Szymańska", "Woźniak", "Dąbrowski"] },
  DK: { first: ["Søren", "Mette", "Rasmus", "Ida", "Mikkel", "Freja", "Jens", "Astrid"], last: ["Kierkegård", "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Sørensen", "Møller"] },
  IE: { first: ["Siobhán", "Seán", "Aoife", "Ciarán", "Niamh", "Pádraig", "Róisín", "Conor", "Zoë"], last: ["Ní Bhriain", "O'Brien", "Murphy", "Kelly", "O'Sullivan", "Walsh", "McCarthy", "Ó Súilleabháin", "Byrne"] },
  AT: { first: ["Lukas", "Theresa", "Florian", "Johanna", "Sebastian", "Magdalena", "Tobias", "Valentina"], last: ["Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner", "Moser", "Hofer"] },
};

/** These appear first, so every demo and every test run has them. */
const FEATURED: readonly { name: string; country: string }[] = [
  { name: "José García", country: "ES" },
  { name: "Zoë O'Brien", country: "IE" },
  { name: "Łukasz Wójcik", country: "PL" },
  { name: "Søren Kierkegård", country: "DK" },
  { name: "François Müller", country: "FR" },
  { name: "Siobhán Ní Bhriain", country: "IE" },
  { name: "John Smith", country: "GB" },
  { name: "Anne-Marie D'Arcy", country: "FR" },
  { name: "Jürgen Groß", country: "DE" },
  { name: "Sanne de Vries", country: "NL" },
];

const EMAIL_DOMAINS = ["example.com", "example.net", "example.org"] as const;

/** Letters that do not decompose into a base letter plus a mark. */
const FOLD: Record<string, string> = { ł: "l", Ł: "L", ø: "o", Ø: "O", ß: "ss", æ: "ae", Æ: "AE", œ: "oe", Œ: "OE", đ: "d", Đ: "D", ı: "i" };

/** "Siobhán Ní Bhriain" -> "siobhan ni bhriain"; apostrophes dropped. */
function asciiFold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[łŁøØßæÆœŒđĐı]/g, (c) => FOLD[c] ?? c)
    .replace(/['’]/g, "")
    .toLowerCase();
}

type SeedAddress = {
  id: number;
  customerId: number;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postcode: string;
  country: Country;
  lat: number;
  lng: number;
};

export type SeedCustomer = { id: number; name: string; email: string; phone: string | null; createdAt: number; addresses: SeedAddress[] };

const pickCountry = weightedPicker(COUNTRIES.map((c) => [c, c.weight] as const));
const countryByCode = new Map(COUNTRIES.map((c) => [c.code, c]));

/** Round to ~100 m so coordinates look like geocoded addresses, not noise. */
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

function makeAddress(rng: Rng, id: number, customerId: number, name: string, country: Country, city: City): SeedAddress {
  const street = rng.pick(country.streets);
  const house = String(rng.int(1, 180)) + (rng.chance(0.08) ? rng.pick(["a", "b", "bis"]) : "");
  return {
    id,
    customerId,
    name,
    line1: country.numberFirst ? `${house} ${street}` : `${street} ${house}`,
    line2: rng.chance(0.12) ? rng.pick(["Apt 3", "2nd floor", "c/o Reception", "Unit 7", "Flat B"]) : null,
    city: city.name,
    region: city.region ?? null,
    postcode: fillPattern(rng, city.postcode),
    country,
    lat: round4(city.lat + (rng.next() - 0.5) * 0.08),
    lng: round4(city.lng + (rng.next() - 0.5) * 0.12),
  };
}

/**
 * Customers with one or two addresses each, created before the order window opens.
 * Emails are derived from names (ASCII-folded) and made unique with a number.
 */
export function generateCustomers(rng: Rng, count: number, createdBefore: number): SeedCustomer[] {
  const customers: SeedCustomer[] = [];
  const emailsUsed = new Map<string, number>();
  let addressId = 0;
  for (let i = 0; i < count; i++) {
    const featured = FEATURED[i];
    const country = featured ? countryByCode.get(featured.country)! : pickCountry(rng);
    const pool = NAMES[country.code]!;
    const name = featured ? featured.name : `${rng.pick(pool.first)} ${rng.pick(pool.last)}`;
    const [first = "", ...rest] = asciiFold(name).split(" ");
    const last = rest.join("");
    const style = featured ? 0 : rng.int(0, 3);
    const local = style === 0 ? `${first}.${last}` : style === 1 ? `${first}${last}` : style === 2 ? `${first[0]}${last}` : `${first}_${last}`;
    const seen = emailsUsed.get(local) ?? 0;
    emailsUsed.set(local, seen + 1);
    const email = `${local}${seen ? seen + 1 : ""}@${rng.pick(EMAIL_DOMAINS)}`;
    const id = i + 1;
    const home = rng.pick(country.cities);
    const addresses = [makeAddress(rng, ++addressId, id, name, country, home)];
    if (rng.chance(0.2)) {
      // A second address: work or family, mostly in the same country.
      const other = rng.chance(0.85) ? country : pickCountry(rng);
      addresses.push(makeAddress(rng, ++addressId, id, rng.chance(0.7) ? name : `${rng.pick(NAMES[other.code]!.first)} ${name.split(" ").pop()}`, other, rng.pick(other.cities)));
    }
    customers.push({
      id,
      name,
      email,
      phone: rng.chance(0.9) ? fillPattern(rng, country.phone) : null,
      createdAt: createdBefore - rng.int(1, 600) * 86_400_000 - rng.int(0, 86_399_999),
      addresses,
    });
  }
  return customers;
}
