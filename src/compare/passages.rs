//! Aligned passages: runs of linked sentences, with their character spans on both sides.
//!
//! A passage is a connected group of sentence links ([`super::align::UnitLink`]) whose
//! units lie close together on **both** sides: two links join when their A units are at
//! most [`PASSAGE_GAP`] + 1 units apart and their B units too. So a passage copied
//! sentence by sentence is one passage, not one per sentence, even when a sentence in
//! the middle was rewritten too hard to link, or two neighbouring sentences were
//! swapped. Groups whose unit ranges overlap on both sides are merged as well.
//!
//! A passage spans, on each side, from the start of its first linked sentence to the
//! end of its last (sentences trimmed of surrounding white space), so it may cover an
//! unlinked sentence inside it. Spans are character offsets (Unicode scalar values, as
//! Python `str` indexes) into the text as given, end exclusive; the byte ranges are
//! kept too. Merged passages rather than one per sentence link, because highlighting
//! and PAN's `plagdet` (which divides by the log of the granularity) both want one
//! detection per reused passage.

use std::ops::Range;

use serde::Serialize;

use super::align::{Alignment, Analyzed, LinkKind};

/// Unlinked sentence units allowed between two links of one passage, on each side.
pub const PASSAGE_GAP: usize = 5;

/// One aligned passage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    /// First character of the passage in A.
    pub a_start: usize,
    /// One past the last character of the passage in A.
    pub a_end: usize,
    /// First character of the passage in B.
    pub b_start: usize,
    /// One past the last character of the passage in B.
    pub b_end: usize,
    /// The loosest kind among the passage's sentence links.
    pub kind: LinkKind,
    /// Mean similarity of the passage's sentence links, in `[0, 1]`.
    pub score: f64,
    /// Number of sentence links inside.
    pub links: usize,
    /// A's sentence units covered (indexes into [`Analyzed::units`]).
    #[serde(skip)]
    pub units_a: Range<usize>,
    /// B's sentence units covered.
    #[serde(skip)]
    pub units_b: Range<usize>,
    /// The passage's byte range in A.
    #[serde(skip)]
    pub bytes_a: Range<usize>,
    /// The passage's byte range in B.
    #[serde(skip)]
    pub bytes_b: Range<usize>,
}

impl Passage {
    /// Whether the passage is strong evidence of reuse: its links are identical or
    /// edited, or their mean score is at least 0.5 (see the module docs).
    pub fn is_strong(&self) -> bool {
        self.kind != LinkKind::Paraphrase || self.score >= 0.5
    }
}

/// A group being built: unit ranges (inclusive), score sum, links, loosest kind.
#[derive(Debug, Clone, Copy)]
struct Group {
    a: (usize, usize),
    b: (usize, usize),
    sum: f64,
    n: usize,
    kind: LinkKind,
}

impl Group {
    fn absorb(&mut self, o: &Group) {
        self.a = (self.a.0.min(o.a.0), self.a.1.max(o.a.1));
        self.b = (self.b.0.min(o.b.0), self.b.1.max(o.b.1));
        self.sum += o.sum;
        self.n += o.n;
        self.kind = self.kind.max(o.kind);
    }

    fn overlaps(&self, o: &Group) -> bool {
        self.a.0 <= o.a.1 && o.a.0 <= self.a.1 && self.b.0 <= o.b.1 && o.b.0 <= self.b.1
    }
}

/// The passages of an alignment of `a` with `b`, sorted by their start in A (then B).
pub fn passages(a: &Analyzed, b: &Analyzed, al: &Alignment) -> Vec<Passage> {
    let links = &al.units;
    if links.is_empty() {
        return Vec::new();
    }
    // Union-find over links; links are sorted by (a, b), so the candidates of link i
    // are the following links whose A unit is within the gap.
    let reach = PASSAGE_GAP + 1;
    let mut parent: Vec<usize> = (0..links.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for i in 0..links.len() {
        for j in i + 1..links.len() {
            if links[j].a > links[i].a + reach {
                break;
            }
            if links[j].b.abs_diff(links[i].b) <= reach {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                if ri != rj {
                    parent[rj.max(ri)] = ri.min(rj);
                }
            }
        }
    }
    let mut groups: Vec<Option<Group>> = vec![None; links.len()];
    for (i, l) in links.iter().enumerate() {
        let r = find(&mut parent, i);
        let g = Group {
            a: (l.a, l.a),
            b: (l.b, l.b),
            sum: l.score,
            n: 1,
            kind: l.kind,
        };
        match &mut groups[r] {
            Some(x) => x.absorb(&g),
            slot => *slot = Some(g),
        }
    }
    let mut groups: Vec<Group> = groups.into_iter().flatten().collect();
    // Merge groups that overlap on both sides (rare: crossing one-to-many links).
    loop {
        let mut merged = false;
        let mut i = 0;
        while i < groups.len() {
            let mut j = i + 1;
            while j < groups.len() {
                if groups[i].overlaps(&groups[j]) {
                    let g = groups.swap_remove(j);
                    groups[i].absorb(&g);
                    merged = true;
                } else {
                    j += 1;
                }
            }
            i += 1;
        }
        if !merged {
            break;
        }
    }
    groups.sort_by_key(|g| (g.a.0, g.b.0));
    groups
        .iter()
        .map(|g| {
            let (ua0, ua1) = (&a.units[g.a.0], &a.units[g.a.1]);
            let (ub0, ub1) = (&b.units[g.b.0], &b.units[g.b.1]);
            Passage {
                a_start: ua0.chars.start,
                a_end: ua1.chars.end,
                b_start: ub0.chars.start,
                b_end: ub1.chars.end,
                kind: g.kind,
                score: g.sum / g.n as f64,
                links: g.n,
                units_a: g.a.0..g.a.1 + 1,
                units_b: g.b.0..g.b.1 + 1,
                bytes_a: ua0.span.start..ua1.span.end,
                bytes_b: ub0.span.start..ub1.span.end,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Comparer;
    use proptest::prelude::*;

    /// Python-style slice by character offsets.
    fn slice(t: &str, r: Range<usize>) -> String {
        t.chars().skip(r.start).take(r.end - r.start).collect()
    }

    const COPIED: &str =
        "The committee approved the harbour budget after a long debate on Tuesday. \
        Fishermen protested outside the town hall against the new mooring fees. \
        The mayor promised a review of the fees before the summer season.";

    #[test]
    fn a_copied_passage_is_one_passage_spanning_its_sentences() {
        let a = format!(
            "Weather today was mild across the region with light winds.\n\n{COPIED}\n\n\
             Sports results follow in the evening edition."
        );
        let b = format!("In other news, the library extended its opening hours.\n\n{COPIED}");
        let c = Comparer::default().compare_texts(&a, &b);
        assert_eq!(c.passages.len(), 1, "{:?}", c.passages);
        let p = &c.passages[0];
        assert_eq!(slice(&a, p.a_start..p.a_end), COPIED);
        assert_eq!(slice(&b, p.b_start..p.b_end), COPIED);
        assert_eq!(p.kind, LinkKind::Identical);
        assert_eq!(p.links, 3);
        assert_eq!(&a[p.bytes_a.clone()], COPIED);
    }

    #[test]
    fn spans_are_character_offsets_in_non_ascii_and_crlf_text() {
        let s1 = "Die Stadtverwaltung bestätigte am Dienstag die Schließung des Hallenbads.";
        let s2 = "Über dreißig Bürger protestierten gegen die Entscheidung vor dem Rathaus.";
        let s3 = "Der Bürgermeister versprach eine Überprüfung der Kosten bis zum Sommer.";
        let a = format!("Ünrelated «intro» sentence here — ok.\r\n\r\n{s1} {s2}\r\n{s3}\r\n");
        let b = format!("{s1}\r\n\r\n{s2} {s3}");
        let c = Comparer::default().compare_texts(&a, &b);
        assert_eq!(c.passages.len(), 1, "{:?}", c.passages);
        let p = &c.passages[0];
        assert_eq!(slice(&a, p.a_start..p.a_end), format!("{s1} {s2}\r\n{s3}"));
        assert_eq!(
            slice(&b, p.b_start..p.b_end),
            format!("{s1}\r\n\r\n{s2} {s3}")
        );
        // Byte and character offsets differ here.
        assert_ne!(p.bytes_a.start, p.a_start);
        assert_eq!(a[p.bytes_a.clone()].chars().count(), p.a_end - p.a_start);
    }

    #[test]
    fn distant_links_are_separate_passages() {
        // Eight unrelated sentences between the two copied ones, on both sides.
        let filler = |k: usize| {
            (0..8)
                .map(|i| match k {
                    1 => format!("Weather note {i} says clouds drift over mountain{i} villages."),
                    _ => format!("Recipe step {i}: whisk the eggs with flour{i} slowly."),
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let x = "The harbour budget was approved by nine votes to four after midnight.";
        let y = "Critics said the mooring fees would drive the fishing fleet elsewhere.";
        let a = format!("{x}\n\n{}\n\n{y}", filler(1));
        let b = format!("{y}\n\n{}\n\n{x}", filler(2));
        let c = Comparer::default().compare_texts(&a, &b);
        let spans: Vec<String> = c
            .passages
            .iter()
            .map(|p| slice(&a, p.a_start..p.a_end))
            .collect();
        assert!(
            spans.contains(&x.to_string()) && spans.contains(&y.to_string()),
            "{spans:?}"
        );
    }

    #[test]
    fn unrelated_texts_have_no_passages() {
        let c = Comparer::default().compare_texts(
            "The cat sat on the mat. It was warm.",
            "Quarterly revenue rose sharply in Asia.",
        );
        assert!(c.passages.is_empty());
    }

    fn sentence() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "harbour",
                "budget",
                "Mayor",
                "fees",
                "ünion",
                "straße",
                "фонд",
                "议会",
                "votes",
                "approved",
                "the",
                "of",
                "fleet",
                "\u{e9}t\u{e9}",
                "42",
            ]),
            3..12,
        )
        .prop_map(|w| {
            let mut s = w.join(" ");
            s.push('.');
            let mut cs = s.chars();
            let first: String = cs.next().unwrap().to_uppercase().collect();
            first + cs.as_str()
        })
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            (
                sentence(),
                prop::sample::select(vec![" ", "\n", "\r\n", "\n\n", "\r\n\r\n"]),
            ),
            0..12,
        )
        .prop_map(|v| v.into_iter().map(|(s, sep)| s + sep).collect())
    }

    proptest! {
        #[test]
        fn passage_spans_are_in_bounds_and_ordered(a in text(), b in text()) {
            let c = Comparer::default().compare_texts(&a, &b);
            let (na, nb) = (a.chars().count(), b.chars().count());
            for p in &c.passages {
                prop_assert!(p.a_start <= p.a_end && p.a_end <= na);
                prop_assert!(p.b_start <= p.b_end && p.b_end <= nb);
                prop_assert!((0.0..=1.0).contains(&p.score));
                // Character spans and byte spans cover the same text.
                prop_assert_eq!(slice(&a, p.a_start..p.a_end), &a[p.bytes_a.clone()]);
                prop_assert_eq!(slice(&b, p.b_start..p.b_end), &b[p.bytes_b.clone()]);
            }
            // Every sentence link lies in a passage.
            for l in &c.alignment.units {
                let n = c.passages.iter().filter(|p| p.units_a.contains(&l.a) && p.units_b.contains(&l.b)).count();
                prop_assert!(n >= 1);
            }
        }
    }
}
