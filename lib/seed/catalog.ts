import type { Rng } from "./random.ts";

/** ~500 SKUs: apparel as COLOUR-SIZE-STYLE (BLU-M-0042), footwear as MODEL-EUSIZE-STYLE, the rest CATEGORY-TYPE-NUMBER. */
export type SeedProduct = {
  id: number;
  sku: string;
  name: string;
  /** EUR cents, VAT excluded. */
  price: number;
  weightGrams: number;
  allowBackorder: boolean;
  /** Which dropship supplier could carry it (index into SUPPLIERS), if any. */
  supplierKind: "outdoor" | "home" | null;
};

const PRODUCT_COUNT = 500;

const COLOURS: readonly (readonly [string, string])[] = [
  ["BLU", "Blue"], ["BLK", "Black"], ["WHT", "White"], ["GRN", "Forest Green"], ["RED", "Brick Red"],
  ["GRY", "Heather Grey"], ["NVY", "Navy"], ["BEI", "Beige"], ["OLV", "Olive"], ["BRG", "Burgundy"],
];
const SIZES = ["XS", "S", "M", "L", "XL", "XXL"] as const;

const APPAREL: readonly (readonly [string, number, number, boolean])[] = [
  // name, price (cents), grams, outerwear (a supplier may carry it)
  ["Merino Crew Sweater", 8995, 380, false], ["Organic Cotton Tee", 2495, 180, false], ["Linen Shirt", 5995, 220, false],
  ["Packable Rain Jacket", 12900, 420, true], ["Slim Chino Trousers", 6995, 520, false], ["Hooded Sweatshirt", 5495, 610, false],
  ["Wool Overshirt", 10900, 700, false], ["Quilted Vest", 7995, 350, true], ["Denim Jacket", 9995, 900, false],
  ["Piqué Polo Shirt", 3995, 240, false], ["Cargo Shorts", 4495, 330, false], ["Flannel Shirt", 4995, 310, false],
  ["Down Parka", 22900, 1100, true], ["Fleece Pullover", 5995, 400, true], ["Oxford Shirt", 5495, 260, false],
  ["Boucle Cardigan", 8495, 450, false], ["Softshell Jacket", 11900, 560, true], ["Jogger Pants", 4995, 420, false],
];

const FOOTWEAR: readonly (readonly [string, string, number, number])[] = [
  ["TRL", "Trail Runner", 11995, 640], ["SNK", "Canvas Sneaker", 6995, 720], ["HKB", "Hiking Boot", 15995, 1200],
  ["CHB", "Chelsea Boot", 17995, 1050], ["SLD", "Sport Sandal", 5495, 480],
];

const GOODS: readonly (readonly [string, string, number, number, "outdoor" | "home" | null, readonly string[]])[] = [
  // sku prefix, name, price, grams, supplier kind, variants
  ["HOM-MUG", "Stoneware Mug 350 ml", 1495, 420, "home", ["Sand", "Slate", "Sage"]],
  ["HOM-BWL", "Ceramic Serving Bowl", 2995, 900, "home", ["Small", "Large"]],
  ["HOM-TWL", "Waffle Bath Towel", 2495, 650, "home", ["White", "Stone", "Rust"]],
  ["HOM-THR", "Wool Throw Blanket", 7995, 1400, "home", ["Grey", "Ochre"]],
  ["HOM-CND", "Soy Candle in Glass", 1995, 380, "home", ["Fig", "Cedar", "Neroli"]],
  ["HOM-LMP", "Brass Desk Lamp", 8995, 1600, "home", []],
  ["HOM-CUT", "Oak Cutting Board", 3495, 1300, "home", ["30 cm", "45 cm"]],
  ["KIT-PAN", "Cast Iron Skillet", 4995, 2600, "home", ["24 cm", "28 cm"]],
  ["KIT-KNF", "Chef's Knife 20 cm", 6995, 250, "home", []],
  ["KIT-FRP", "French Press 1 l", 3995, 800, "home", []],
  ["KIT-GRN", "Burr Coffee Grinder", 12900, 1900, null, []],
  ["ELE-CBL", "USB-C Cable", 1495, 60, null, ["1 m", "2 m"]],
  ["ELE-CHG", "65 W GaN Charger", 4495, 140, null, []],
  ["ELE-PWB", "Power Bank 10,000 mAh", 3995, 230, null, []],
  ["ELE-EAR", "Wireless Earbuds", 8995, 90, null, ["Black", "White"]],
  ["ELE-SPK", "Portable Speaker", 6995, 520, null, ["Black", "Teal"]],
  ["BAG-BKP", "Roll-top Backpack 22 l", 8995, 850, "outdoor", ["Black", "Olive", "Navy"]],
  ["BAG-TOT", "Waxed Canvas Tote", 4995, 600, null, ["Tan", "Black"]],
  ["BAG-DUF", "Weekender Duffel", 11900, 1300, null, []],
  ["ACC-BEA", "Ribbed Wool Beanie", 2495, 90, null, ["Black", "Mustard", "Grey"]],
  ["ACC-SCF", "Cashmere Scarf", 8995, 160, null, ["Camel", "Grey"]],
  ["ACC-GLV", "Leather Gloves", 5995, 120, null, ["S", "M", "L"]],
  ["ACC-BLT", "Leather Belt", 3995, 200, null, ["85", "95", "105"]],
  ["ACC-SCK", "Merino Hiking Socks (2-pack)", 1995, 110, "outdoor", ["36-39", "40-43", "44-47"]],
  ["ACC-SUN", "Polarised Sunglasses", 6995, 60, null, []],
  ["OUT-TNT", "Two-person Tent", 24900, 2300, "outdoor", []],
  ["OUT-SLB", "Down Sleeping Bag", 18900, 1100, "outdoor", ["Regular", "Long"]],
  ["OUT-MAT", "Self-inflating Sleeping Mat", 7995, 900, "outdoor", []],
  ["OUT-STV", "Camping Stove", 5495, 350, "outdoor", []],
  ["OUT-HLP", "Rechargeable Headlamp", 3995, 95, "outdoor", []],
  ["OUT-BTL", "Insulated Bottle 750 ml", 2995, 400, "outdoor", ["Steel", "Black", "Moss"]],
  ["OUT-POL", "Carbon Trekking Poles", 9995, 480, "outdoor", []],
  ["OUT-CHR", "Folding Camp Chair", 5995, 1500, "outdoor", []],
  ["STA-NTB", "Dotted Notebook A5", 1495, 300, null, ["Black", "Terracotta", "Sage"]],
  ["STA-PEN", "Brass Ballpoint Pen", 2995, 40, null, []],
];

const num4 = (n: number) => String(n).padStart(4, "0");

/** Deterministic catalogue in a fixed order: apparel, footwear, then other goods, cut at PRODUCT_COUNT. */
export function generateProducts(rng: Rng): SeedProduct[] {
  const products: SeedProduct[] = [];
  const add = (p: Omit<SeedProduct, "id" | "allowBackorder">) => {
    if (products.length < PRODUCT_COUNT) products.push({ ...p, id: products.length + 1, allowBackorder: rng.chance(0.3) });
  };
  const styleNumbers = rng.shuffle(Array.from({ length: 900 }, (_, i) => i + 11));
  let style = 0;
  for (let round = 0; products.length < 320; round++) {
    const [base, price, grams, outerwear] = APPAREL[round % APPAREL.length]!;
    // A second pass over the styles is a different cut, so names stay distinct.
    const name = `${["", "Relaxed ", "Heavyweight "][Math.floor(round / APPAREL.length)] ?? ""}${base}`;
    const number = num4(styleNumbers[style++]!);
    const colours = rng.shuffle([...COLOURS]).slice(0, rng.int(2, 3));
    const sizes = SIZES.slice(rng.int(0, 1), rng.int(4, 6));
    for (const [code, colour] of colours) {
      for (const size of sizes) {
        if (products.length >= 320) break;
        add({ sku: `${code}-${size}-${number}`, name: `${name} — ${colour}, ${size}`, price: price + (size === "XXL" ? 500 : 0), weightGrams: grams, supplierKind: outerwear ? "outdoor" : null });
      }
    }
  }
  for (const [code, name, price, grams] of FOOTWEAR) {
    const number = num4(styleNumbers[style++]!);
    for (let size = 37; size <= 46; size++) add({ sku: `${code}-${size}-${number}`, name: `${name}, EU ${size}`, price, weightGrams: grams, supplierKind: code === "HKB" || code === "TRL" ? "outdoor" : null });
  }
  for (let round = 0; products.length < PRODUCT_COUNT; round++) {
    for (const [prefix, name, price, grams, kind, variants] of GOODS) {
      const number = num4(styleNumbers[style++]!);
      const list = variants.length ? variants : [""];
      // Later rounds are new editions of the same goods, a little dearer.
      const edition = round ? ` (${2024 + round} edition)` : "";
      for (const v of list) add({ sku: `${prefix}-${number}${v ? `-${list.indexOf(v) + 1}` : ""}`, name: `${name}${v ? ` — ${v}` : ""}${edition}`, price: price + round * 500, weightGrams: grams, supplierKind: kind });
    }
  }
  return products;
}

/** Stock per stocking location and product, drawn once; reserved is added after the orders exist. */
export type StockLevel = { onHand: number; safetyStock: number };

export function generateStock(rng: Rng, products: readonly SeedProduct[], locationCount: number): StockLevel[][] {
  return Array.from({ length: locationCount }, (_, loc) =>
    products.map((p) => {
      const heavy = p.weightGrams > 1500;
      // Some SKUs are out of stock at a location; the 3PL (last) carries less.
      const out = rng.chance(loc === locationCount - 1 ? 0.3 : 0.08);
      const onHand = out ? 0 : rng.int(heavy ? 2 : 5, heavy ? 40 : loc === locationCount - 1 ? 60 : 250);
      return { onHand, safetyStock: out ? 0 : rng.int(0, heavy ? 2 : 5) };
    }),
  );
}

export type CatalogEntry = { productId: number; cost: number; leadDays: number };

/** What each dropship supplier carries: a subset of its kind of goods, at 55–70 % of the price. */
export function generateSupplierCatalogs(rng: Rng, products: readonly SeedProduct[]): [CatalogEntry[], CatalogEntry[]] {
  const pick = (kind: "outdoor" | "home", share: number): CatalogEntry[] =>
    products
      .filter((p) => p.supplierKind === kind && rng.chance(share))
      .map((p) => ({ productId: p.id, cost: Math.round((p.price * rng.int(55, 70)) / 100), leadDays: rng.int(3, 9) }));
  return [pick("outdoor", 0.7), pick("home", 0.8)];
}
