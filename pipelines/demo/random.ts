/**
 * A small seeded random source for the demo data. Math.random is never used: the same seed must give
 * the same bytes, so every file's hash (and "unchanged" on a second run) is stable.
 */

/** cyrb53-style string hash, split into four 32-bit words to seed sfc32. */
function hashSeed(text: string): [number, number, number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0, (h1 ^ h2) >>> 0, (h1 + h2) >>> 0];
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Standard normal. */
  normal(): number;
  /** exp(N(0, sigma)): a multiplicative spread around 1 with median 1. */
  spread(sigma: number): number;
  poisson(mean: number): number;
  binomial(n: number, p: number): number;
  /** Splits n items over categories with the given shares (they need not sum to 1). */
  multinomial(n: number, shares: readonly number[]): number[];
  /** The items in a random order (a new array). */
  shuffle<T>(items: readonly T[]): T[];
}

/**
 * A random source for one purpose, e.g. randomFor(seed, "kuntouttava", "091"). Each part of the demo
 * draws from its own stream, so changing one part does not shift the numbers of every other.
 */
export function randomFor(...labels: (string | number)[]): Random {
  let [a, b, c, d] = hashSeed(labels.join("\u001f"));
  // sfc32: fast, 128-bit state, good enough for synthetic data
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // mix the seed in before use

  const normal = () => {
    // Box–Muller; 1 - u keeps the logarithm finite
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const poisson = (mean: number): number => {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = next();
    while (p > limit) {
      k++;
      p *= next();
    }
    return k;
  };
  const binomial = (n: number, p: number): number => {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n < 60) {
      let k = 0;
      for (let i = 0; i < n; i++) if (next() < p) k++;
      return k;
    }
    const drawn = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal());
    return Math.min(n, Math.max(0, drawn));
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    normal,
    spread: (sigma) => Math.exp(sigma * normal()),
    poisson,
    binomial,
    multinomial(n, shares) {
      // conditional binomials: each category takes its share of what the earlier ones left
      let left = n;
      let mass = shares.reduce((s, x) => s + x, 0);
      return shares.map((share, i) => {
        if (i === shares.length - 1) return left;
        const k = mass > 0 ? binomial(left, share / mass) : 0;
        left -= k;
        mass -= share;
        return k;
      });
    },
    shuffle(items) {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j] as (typeof out)[number], out[i] as (typeof out)[number]];
      }
      return out;
    },
  };
}
