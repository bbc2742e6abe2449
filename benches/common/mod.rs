//! Bench inputs for the pair benches, all built from the seed articles in `seeds/`
//! (compiled in, so a bench never reads anything outside the repository) and fully
//! deterministic, so runs compare.
//!
//! * [`short_pair`]: one sentence of the rewrite `002` and the sentence of the AFP
//!   story `003` it rewords (short texts, judged by sentence equivalence).
//! * [`news_pair`]: `002` and `003` whole (about 6 kB each).
//! * [`long_pair`]: two documents of `n` paragraphs made by cycling the seed
//!   paragraphs. Every copy of a seed paragraph gets its own made-up words in place of
//!   some of its words (as if the same kind of paragraph were about other people and
//!   places), so copies are alike but not equal and the aligner must pick the right
//!   one among many near matches. B is A reworded (words dropped, replaced, swapped),
//!   reordered (neighbouring paragraphs shuffled, some moved far), with some paragraphs
//!   deleted and some added.

#![allow(dead_code)] // each bench binary uses part of this module

use reprint::text::paragraphs;

/// The seed articles, in file order (`000` .. `004`).
pub const SEEDS: [&str; 5] = [
    include_str!("../../seeds/000_4dc33e78b781bd29.txt"),
    include_str!("../../seeds/001_883f6c3cf49b8943.txt"),
    include_str!("../../seeds/002_486cdfaf399a01ed.txt"),
    include_str!("../../seeds/003_6f1f85b9678831c8.txt"),
    include_str!("../../seeds/004_52d3ea0359c3e05f.txt"),
];

/// The rewrite `002`.
pub const REWRITE: &str = SEEDS[2];
/// The AFP wire story `003`.
pub const WIRE: &str = SEEDS[3];

/// The news pair: the rewrite `002` (A) and the wire story `003` (B).
pub fn news_pair() -> (String, String) {
    (REWRITE.to_owned(), WIRE.to_owned())
}

fn paragraph_with(text: &str, needle: &str) -> String {
    paragraphs(text)
        .into_iter()
        .find(|p| p.contains(needle))
        .unwrap_or_else(|| panic!("no seed paragraph contains {needle:?}"))
        .to_owned()
}

/// A short pair: the sentence of `002` on a ground invasion of Rafah and the sentence
/// of `003` it rewords (one sentence each; judged by sentence equivalence).
pub fn short_pair() -> (String, String) {
    let a = paragraph_with(REWRITE, "I think it's still possible");
    let a = a[a.find("He cautioned").expect("seed 002 changed")..].to_owned();
    let b = paragraph_with(WIRE, "But he warned that a looming");
    (a, b)
}

/// xorshift64*: a small deterministic generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// Seed paragraphs long enough to be story text (captions and page furniture left out).
pub fn paragraph_pool() -> Vec<&'static str> {
    SEEDS
        .iter()
        .flat_map(|t| paragraphs(t))
        .filter(|p| p.split_whitespace().count() >= 12)
        .collect()
}

/// A made-up lower-case word for `n` (distinct `n`, distinct words; a few syllables).
fn made_up(mut n: u64) -> String {
    const SYL: [&str; 16] = [
        "ka", "ri", "to", "mel", "zan", "dor", "vi", "lu", "sen", "pa", "gro", "ne", "bu", "fal",
        "ti", "wex",
    ];
    let mut w = String::new();
    loop {
        w.push_str(SYL[(n % 16) as usize]);
        n /= 16;
        if n == 0 {
            break;
        }
    }
    w.push_str("ov");
    w
}

/// Splits a white-space word into (leading punctuation, core, trailing punctuation).
fn split_word(w: &str) -> (&str, &str, &str) {
    let start = w.find(|c: char| c.is_alphanumeric()).unwrap_or(w.len());
    let end = w.rfind(|c: char| c.is_alphanumeric()).map_or(start, |i| {
        i + w[i..].chars().next().map_or(1, char::len_utf8)
    });
    (&w[..start], &w[start..end.max(start)], &w[end.max(start)..])
}

/// Replaces the core of `w` (keeping its punctuation) when the core is a lower-case
/// ASCII word of at least four letters; returns whether it did.
fn replace_core(w: &str, new: &str, out: &mut String) -> bool {
    let (pre, core, post) = split_word(w);
    if core.len() >= 4 && core.bytes().all(|b| b.is_ascii_lowercase()) {
        out.push_str(pre);
        out.push_str(new);
        out.push_str(post);
        true
    } else {
        out.push_str(w);
        false
    }
}

/// Copy `copy` of a seed paragraph: every fifth eligible word replaced by a made-up
/// word unique to this copy and position.
fn variant(p: &str, copy: u64) -> String {
    let mut out = String::with_capacity(p.len() + 64);
    let mut eligible = 0u64;
    for (k, w) in p.split_whitespace().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let (_, core, _) = split_word(w);
        let lower = core.len() >= 4 && core.bytes().all(|b| b.is_ascii_lowercase());
        if lower {
            eligible += 1;
            if (eligible + copy).is_multiple_of(5) {
                replace_core(w, &made_up(copy * 64 + k as u64), &mut out);
                continue;
            }
        }
        out.push_str(w);
    }
    out
}

/// A reworded paragraph: about 8% of words dropped, 8% of eligible words replaced by
/// new made-up words, 6% swapped with the next word.
fn reword(p: &str, rng: &mut Rng, fresh: &mut u64) -> String {
    let mut words: Vec<String> = p.split_whitespace().map(str::to_owned).collect();
    let mut k = 0;
    while k + 1 < words.len() {
        if rng.chance(6) {
            words.swap(k, k + 1);
            k += 2;
        } else {
            k += 1;
        }
    }
    let mut out = String::with_capacity(p.len());
    for w in &words {
        if rng.chance(8) && !w.ends_with(['.', '!', '?']) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if rng.chance(8) {
            *fresh += 1;
            replace_core(w, &made_up(1 << 40 | *fresh), &mut out);
        } else {
            out.push_str(w);
        }
    }
    out
}

/// Two documents of `n` paragraphs (B has about `n` too): see the module docs.
pub fn long_pair(n: usize) -> (String, String) {
    let pool = paragraph_pool();
    let mut rng = Rng::new(0x5eed_0000 + n as u64);
    let a: Vec<String> = (0..n)
        .map(|i| variant(pool[i % pool.len()], i as u64))
        .collect();
    // B: reworded copies, 4% deleted, 4% new paragraphs added.
    let mut fresh = 0u64;
    let mut b: Vec<String> = Vec::with_capacity(n + n / 16);
    for (i, p) in a.iter().enumerate() {
        if rng.chance(4) {
            continue;
        }
        b.push(reword(p, &mut rng, &mut fresh));
        if rng.chance(4) {
            let q = pool[rng.below(pool.len())];
            b.push(variant(q, (n + i) as u64));
        }
    }
    // Reorder: shuffle within windows of 8, then move 2% of paragraphs far away.
    for w in b.chunks_mut(8) {
        for k in (1..w.len()).rev() {
            if rng.chance(30) {
                let j = rng.below(k + 1);
                w.swap(k, j);
            }
        }
    }
    for _ in 0..n / 50 {
        let from = rng.below(b.len());
        let p = b.remove(from);
        let to = rng.below(b.len() + 1);
        b.insert(to, p);
    }
    (a.join("\n\n"), b.join("\n\n"))
}
