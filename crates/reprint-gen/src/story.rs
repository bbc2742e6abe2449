//! The document model: a story (topic, people, places, organisations, figures, a day)
//! from which sentences are drawn, and the structure a document is kept in until it is
//! rendered (paragraphs of sentences of clauses), so that edits and rewrites can work
//! on clauses, attributions and paragraphs rather than on a flat string.

use std::borrow::Cow;

use super::rng::{Rng, Stream};
use super::vocab::{self, Vocab};

/// A word or a fixed phrase (names and multi-word phrases are one unit for edits).
pub type Word = Cow<'static, str>;

/// Where an attribution goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrStyle {
    /// `Body, X said.`
    Trailing,
    /// `X said body.`
    Leading,
    /// `According to X, body.`
    According,
    /// `"Body," X said.`
    Quote,
}

/// Who said it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// Who: a person (full name on first mention, surname after), `officials`, or
    /// `a spokesperson for the ...`.
    pub speaker: Word,
    /// `the finance minister`, shown after the name.
    pub role: Option<Word>,
    /// The speech verb (`said`, `told reporters`, ...).
    pub verb: Word,
    /// Where the attribution is placed in the sentence.
    pub style: AttrStyle,
}

/// One sentence: an optional lead adverbial, a main clause, an optional subordinate
/// clause (before or after the main one) and an optional attribution.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    /// Lead adverbial (`on Monday`, `meanwhile`), rendered first.
    pub lead: Option<Word>,
    /// Words of the main clause.
    pub main: Vec<Word>,
    /// Subordinate clause: its conjunction and its words.
    pub sub: Option<(Word, Vec<Word>)>,
    /// The subordinate clause comes before the main one (`Because ..., main.`).
    pub sub_first: bool,
    /// Who said it, if anyone.
    pub attr: Option<Attribution>,
}

impl Sentence {
    /// Number of words (multi-word units counted by their spaces).
    pub fn words(&self) -> usize {
        let count = |ws: &[Word]| ws.iter().map(|w| 1 + w.matches(' ').count()).sum::<usize>();
        count(&self.main)
            + self
                .sub
                .as_ref()
                .map_or(0, |(c, s)| count(s) + count(std::slice::from_ref(c)))
            + self
                .lead
                .as_ref()
                .map_or(0, |l| count(std::slice::from_ref(l)))
            + self.attr.as_ref().map_or(0, |a| {
                count(std::slice::from_ref(&a.speaker))
                    + count(std::slice::from_ref(&a.verb))
                    + a.role
                        .as_ref()
                        .map_or(0, |r| 1 + count(std::slice::from_ref(r)))
            })
    }
}

/// Paragraphs of sentences.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// Paragraphs in order; an empty paragraph renders to nothing.
    pub paragraphs: Vec<Vec<Sentence>>,
}

impl Doc {
    /// Renders the text: sentences joined by a space, paragraphs by a blank line.
    pub fn render(&self, out: &mut String) {
        let mut first_para = true;
        for p in self.paragraphs.iter().filter(|p| !p.is_empty()) {
            if !first_para {
                out.push_str("\n\n");
            }
            first_para = false;
            for (i, s) in p.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                render_sentence(s, out);
            }
        }
    }

    /// Number of sentences over all paragraphs.
    pub fn sentences(&self) -> usize {
        self.paragraphs.iter().map(Vec::len).sum()
    }

    /// Number of words, as [`Sentence::words`] counts them.
    pub fn words(&self) -> usize {
        self.paragraphs.iter().flatten().map(Sentence::words).sum()
    }
}

fn push_words(ws: &[Word], out: &mut String) {
    for (i, w) in ws.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
}

fn push_body(s: &Sentence, out: &mut String) {
    if let Some(l) = &s.lead {
        out.push_str(l);
        out.push(' ');
    }
    match &s.sub {
        Some((conj, sub)) if s.sub_first => {
            out.push_str(conj);
            out.push(' ');
            push_words(sub, out);
            out.push_str(", ");
            push_words(&s.main, out);
        }
        Some((conj, sub)) => {
            push_words(&s.main, out);
            out.push(' ');
            out.push_str(conj);
            out.push(' ');
            push_words(sub, out);
        }
        None => push_words(&s.main, out),
    }
}

fn push_speaker(a: &Attribution, out: &mut String) {
    out.push_str(&a.speaker);
    if let Some(r) = &a.role {
        out.push_str(", the ");
        out.push_str(r);
        out.push(',');
    }
}

/// Renders one sentence, capitalised and punctuated.
pub fn render_sentence(s: &Sentence, out: &mut String) {
    let start = out.len();
    match &s.attr {
        None => push_body(s, out),
        Some(a) => match a.style {
            AttrStyle::Trailing => {
                push_body(s, out);
                out.push_str(", ");
                push_speaker(a, out);
                out.push(' ');
                out.push_str(&a.verb);
            }
            AttrStyle::Leading => {
                push_speaker(a, out);
                out.push(' ');
                out.push_str(&a.verb);
                out.push(' ');
                push_body(s, out);
            }
            AttrStyle::According => {
                out.push_str("according to ");
                push_speaker(a, out);
                if a.role.is_none() {
                    out.push(',');
                }
                out.push(' ');
                push_body(s, out);
            }
            AttrStyle::Quote => {
                out.push('"');
                let q = out.len();
                push_body(s, out);
                capitalise(out, q);
                out.push_str(",\" ");
                push_speaker(a, out);
                out.push(' ');
                out.push_str(&a.verb);
            }
        },
    }
    if out.ends_with(',') {
        out.pop();
    }
    out.push('.');
    capitalise(out, start);
}

fn capitalise(out: &mut String, at: usize) {
    if let Some(c) = out[at..].chars().next() {
        if c.is_ascii_lowercase() {
            out.replace_range(at..at + 1, &c.to_ascii_uppercase().to_string());
        }
    }
}

/// A person in a story.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// Full name, `First Last`, used on first mention.
    pub name: String,
    /// Surname, used after the first mention.
    pub last: String,
    /// Role drawn from the topic's roles (`finance minister`).
    pub role: &'static str,
}

/// The entities of a topic that recur across stories (a minister, a club, a city).
#[derive(Debug, Clone)]
pub struct TopicPool {
    /// Recurring people (16 per topic).
    pub people: Vec<Person>,
    /// Recurring place names (12 per topic).
    pub places: Vec<String>,
    /// Recurring organisation names (8 per topic).
    pub orgs: Vec<String>,
}

/// Recurring people, places and organisations per topic under `seed`.
pub fn topic_pools(seed: u64) -> Vec<TopicPool> {
    let v = Vocab::get();
    (0..v.topics.len())
        .map(|t| {
            let mut rng = Rng::derive(seed, Stream::Topic, t as u64);
            let places: Vec<String> = (0..12).map(|_| place_name(&mut rng)).collect();
            TopicPool {
                people: (0..16).map(|_| person(&mut rng, t)).collect(),
                orgs: (0..8).map(|_| org_name(&mut rng, t, &places)).collect(),
                places,
            }
        })
        .collect()
}

fn surname(rng: &mut Rng) -> String {
    let v = Vocab::get();
    let mut s = String::from(rng.word(&v.surname_heads));
    s.push_str(rng.word(&v.surname_tails));
    if rng.chance(0.15) {
        s.push('-');
        s.push_str(rng.word(&v.surname_heads));
        s.push_str(rng.word(&v.surname_tails));
    }
    s
}

fn person(rng: &mut Rng, topic: usize) -> Person {
    let v = Vocab::get();
    let last = surname(rng);
    Person {
        name: format!("{} {}", rng.word(&v.first_names), last),
        last,
        role: rng.word(&v.topics[topic].roles),
    }
}

fn place_name(rng: &mut Rng) -> String {
    let v = Vocab::get();
    let mut s = String::from(rng.word(&v.place_heads));
    s.push_str(rng.word(&v.place_tails));
    if rng.chance(0.1) {
        s.insert_str(0, "Port ");
    }
    s
}

fn org_name(rng: &mut Rng, topic: usize, places: &[String]) -> String {
    let v = Vocab::get();
    let kind = rng.word(&v.topics[topic].orgs);
    let base = if rng.chance(0.5) {
        rng.pick(places).clone()
    } else {
        surname(rng)
    };
    format!("{base} {kind}")
}

fn number(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => format!("{}", rng.range(2, 99)),
        1 => format!("{},{:03}", rng.range(1, 99), rng.below(1000)),
        2 => format!("{}.{}", rng.range(1, 19), rng.below(10)),
        3 => format!("{}", rng.range(100, 999)),
        _ => format!("{}", [1990, 2001, 2008, 2015, 2019, 2020][rng.below(6)]),
    }
}

/// A story: what its sentences are drawn from.
#[derive(Debug, Clone)]
pub struct Story {
    /// Index of the topic in [`vocab::TOPICS`] (and in [`topic_pools`]).
    pub topic: usize,
    /// People the story may mention: its own and one from the topic pool.
    pub people: Vec<Person>,
    /// Places the story may mention: its own and one from the topic pool.
    pub places: Vec<String>,
    /// Organisations the story may mention: its own and one from the topic pool.
    pub orgs: Vec<String>,
    /// Nouns this story is about (repeated through it).
    pub focus: Vec<&'static str>,
    /// The story's own words from the topic's long tail.
    pub lexicon: Vec<&'static str>,
    /// The day the story happens on (one of [`vocab::DAYS`]).
    pub day: &'static str,
    /// Which people have been named in full so far.
    introduced: Vec<bool>,
}

/// Story lengths in words: a log-normal (median 504, sigma 0.55, mean about 600)
/// given by its quantiles at 0, 1/16, ..., 1 and interpolated linearly, so that only
/// exact arithmetic is used.
const LENGTH_QUANTILES: [f64; 17] = [
    117.0, 217.0, 267.0, 310.0, 347.0, 385.0, 423.0, 463.0, 504.0, 550.0, 600.0, 660.0, 731.0,
    821.0, 949.0, 1172.0, 2167.0,
];

/// A story length in words.
pub fn story_length(rng: &mut Rng) -> usize {
    let x = rng.unit() * 16.0;
    let i = (x as usize).min(15);
    let f = x - i as f64;
    (LENGTH_QUANTILES[i] + f * (LENGTH_QUANTILES[i + 1] - LENGTH_QUANTILES[i])) as usize
}

impl Story {
    /// A new story on `topic`: two recurring entities of the topic and several of its
    /// own.
    pub fn new(rng: &mut Rng, topic: usize, pool: &TopicPool) -> Story {
        let v = Vocab::get();
        let t = &v.topics[topic];
        let mut people: Vec<Person> = (0..rng.range(2, 5)).map(|_| person(rng, topic)).collect();
        people.push(rng.pick(&pool.people).clone());
        let mut places: Vec<String> = (0..rng.range(1, 3)).map(|_| place_name(rng)).collect();
        places.push(rng.pick(&pool.places).clone());
        let mut orgs: Vec<String> = (0..rng.range(1, 2))
            .map(|_| org_name(rng, topic, &places))
            .collect();
        orgs.push(rng.pick(&pool.orgs).clone());
        let tail = &v.tails[topic];
        let lexicon: Vec<&'static str> = (0..rng.range(20, 40))
            .map(|_| {
                // Rank r drawn with density about 1/sqrt(r): a Zipf-like long tail.
                let u = rng.unit();
                tail[((u * u * tail.len() as f64) as usize).min(tail.len() - 1)].as_str()
            })
            .collect();
        let mut focus: Vec<&'static str> = (0..2).map(|_| rng.word(&t.nouns)).collect();
        focus.push(lexicon[0]);
        let introduced = vec![false; people.len()];
        Story {
            topic,
            people,
            places,
            orgs,
            focus,
            lexicon,
            day: rng.word(vocab::DAYS),
            introduced,
        }
    }

    /// Another story on the same topic that shares `shared` of this one's own people,
    /// places and organisations (a hard negative: same subject, same names, different
    /// text). Returns the story and how many entities it shares.
    pub fn related(&self, rng: &mut Rng, pool: &TopicPool, shared: usize) -> (Story, usize) {
        let mut s = Story::new(rng, self.topic, pool);
        let mut n = 0;
        for k in 0..shared {
            match k % 3 {
                0 if !self.people.is_empty() => {
                    let p = rng.pick(&self.people).clone();
                    if !s.people.contains(&p) {
                        s.people.insert(0, p);
                        s.introduced.insert(0, false);
                        n += 1;
                    }
                }
                1 => {
                    let p = rng.pick(&self.places).clone();
                    if !s.places.contains(&p) {
                        s.places.insert(0, p);
                        n += 1;
                    }
                }
                _ => {
                    let o = rng.pick(&self.orgs).clone();
                    if !s.orgs.contains(&o) {
                        s.orgs.insert(0, o);
                        n += 1;
                    }
                }
            }
        }
        if rng.chance(0.5) {
            s.focus[0] = self.focus[0];
        }
        // A follow-up story keeps a few of the same rarer words.
        for _ in 0..rng.range(0, 3) {
            let w = rng.word(&self.lexicon);
            s.lexicon.push(w);
        }
        (s, n)
    }

    fn words(&self) -> &'static vocab::TopicWords {
        &Vocab::get().topics[self.topic]
    }

    /// A random content word of the topic (for edits).
    pub fn random_word(&self, rng: &mut Rng) -> &'static str {
        let t = self.words();
        let v = Vocab::get();
        match rng.below(5) {
            0 | 1 => rng.word(&t.nouns),
            3 => rng.word(&self.lexicon),
            2 => rng.word(&t.adjectives),
            _ => rng.word(&v.general_nouns),
        }
    }

    fn noun(&self, rng: &mut Rng) -> &'static str {
        if rng.chance(0.25) {
            rng.word(&self.focus)
        } else if rng.chance(0.4) {
            rng.word(&self.lexicon)
        } else if rng.chance(0.8) {
            rng.word(&self.words().nouns)
        } else {
            rng.word(&Vocab::get().general_nouns)
        }
    }

    fn adjective(&self, rng: &mut Rng) -> &'static str {
        if rng.chance(0.2) {
            rng.word(&self.lexicon)
        } else if rng.chance(0.6) {
            rng.word(&self.words().adjectives)
        } else {
            rng.word(&Vocab::get().general_adjectives)
        }
    }

    fn person_ref(&mut self, rng: &mut Rng) -> (Word, Option<Word>) {
        let i = rng.below(self.people.len());
        let p = &self.people[i];
        if self.introduced[i] {
            (Word::Owned(p.last.clone()), None)
        } else {
            self.introduced[i] = true;
            (Word::Owned(p.name.clone()), Some(Word::Borrowed(p.role)))
        }
    }

    fn subject(&mut self, rng: &mut Rng, out: &mut Vec<Word>) {
        match rng.weighted(&[3, 3, 4, 1, 1, 1]) {
            0 => {
                let (name, _) = self.person_ref(rng);
                out.push(name);
            }
            1 => {
                out.push("the".into());
                out.push(Word::Owned(rng.pick(&self.orgs).clone()));
            }
            2 => {
                out.push("the".into());
                if rng.chance(0.4) {
                    out.push(self.adjective(rng).into());
                }
                out.push(self.noun(rng).into());
            }
            3 => out.push((rng.word(&["officials", "the government", "the authorities"])).into()),
            4 => {
                out.push("residents of".into());
                out.push(Word::Owned(rng.pick(&self.places).clone()));
            }
            _ => {
                out.push("the".into());
                out.push(self.noun(rng).into());
                out.push("committee".into());
            }
        }
    }

    fn object(&mut self, rng: &mut Rng, out: &mut Vec<Word>) {
        out.push((rng.word(vocab::DETERMINERS)).into());
        if rng.chance(0.5) {
            out.push(self.adjective(rng).into());
        }
        out.push(self.noun(rng).into());
        match rng.below(5) {
            0 => {
                out.push("on the".into());
                out.push(self.noun(rng).into());
            }
            1 => {
                out.push("for".into());
                out.push(Word::Owned(rng.pick(&self.places).clone()));
            }
            _ => {}
        }
    }

    fn tail(&mut self, rng: &mut Rng, out: &mut Vec<Word>) {
        match rng.below(6) {
            0 => out.push(self.day.into()),
            1 => {
                out.push("in".into());
                out.push(Word::Owned(rng.pick(&self.places).clone()));
            }
            2 => {
                out.push((rng.word(vocab::EXTRAS)).into());
                out.push("the".into());
                out.push(self.noun(rng).into());
            }
            _ => {}
        }
    }

    /// A main or subordinate clause.
    pub fn clause(&mut self, rng: &mut Rng) -> Vec<Word> {
        let mut out = Vec::with_capacity(12);
        let t = self.words();
        match rng.weighted(&[6, 2, 2]) {
            0 => {
                self.subject(rng, &mut out);
                out.push((rng.word(&t.verbs_past)).into());
                self.object(rng, &mut out);
                self.tail(rng, &mut out);
            }
            1 => {
                let unit = rng.word(&t.units);
                out.push((rng.word(&["some", "about", "more than", "nearly", "at least"])).into());
                out.push(Word::Owned(number(rng)));
                out.push(unit.into());
                out.push(
                    (rng.word(&[
                        "were affected",
                        "were reported",
                        "were involved",
                        "were counted",
                    ]))
                    .into(),
                );
                self.tail(rng, &mut out);
            }
            _ => {
                out.push("the".into());
                out.push(self.noun(rng).into());
                out.push((rng.word(&["of", "in", "at"])).into());
                out.push(Word::Owned(rng.pick(&self.places).clone()));
                out.push((rng.word(&t.verbs_past)).into());
                self.object(rng, &mut out);
            }
        }
        out
    }

    fn quote_clause(&mut self, rng: &mut Rng) -> Vec<Word> {
        let t = self.words();
        let mut out = vec![
            (rng.word(vocab::QUOTE_SUBJECTS)).into(),
            (rng.word(vocab::MODALS)).into(),
            (rng.word(&t.verbs_base)).into(),
        ];
        self.object(rng, &mut out);
        if rng.chance(0.3) {
            out.push((rng.word(vocab::EXTRAS)).into());
            out.push("the".into());
            out.push(self.noun(rng).into());
        }
        out
    }

    fn attribution(&mut self, rng: &mut Rng, style: AttrStyle) -> Attribution {
        let (speaker, role) = match rng.weighted(&[6, 1, 1]) {
            0 => self.person_ref(rng),
            1 => (Word::Borrowed("officials"), None),
            _ => (
                Word::Owned(format!("a spokesperson for the {}", rng.pick(&self.orgs))),
                None,
            ),
        };
        Attribution {
            speaker,
            role,
            verb: (rng.word(vocab::SAID)).into(),
            style,
        }
    }

    /// One sentence of the story.
    pub fn sentence(&mut self, rng: &mut Rng) -> Sentence {
        let mut s = Sentence {
            main: self.clause(rng),
            ..Default::default()
        };
        match rng.weighted(&[35, 30, 25, 10]) {
            0 => {}
            1 => {
                s.sub = Some(((rng.word(vocab::CONJUNCTIONS)).into(), self.clause(rng)));
                s.sub_first = rng.chance(0.3);
            }
            2 => {
                if rng.chance(0.4) {
                    s.sub = Some(((rng.word(vocab::CONJUNCTIONS)).into(), self.clause(rng)));
                }
                let style = [
                    AttrStyle::Trailing,
                    AttrStyle::Leading,
                    AttrStyle::According,
                ][rng.weighted(&[5, 3, 2])];
                s.attr = Some(self.attribution(rng, style));
            }
            _ => {
                s.main = self.quote_clause(rng);
                s.attr = Some(self.attribution(rng, AttrStyle::Quote));
            }
        }
        s
    }

    /// A paragraph of 1-4 sentences.
    pub fn paragraph(&mut self, rng: &mut Rng) -> Vec<Sentence> {
        let n = 1 + rng.weighted(&[25, 40, 25, 10]);
        (0..n).map(|_| self.sentence(rng)).collect()
    }

    /// A whole document of about `words` words.
    pub fn document(&mut self, rng: &mut Rng, words: usize) -> Doc {
        let mut doc = Doc::default();
        let mut n = 0;
        while n < words {
            let p = if doc.paragraphs.is_empty() {
                let mut s = self.sentence(rng);
                if s.attr.is_none() && s.sub.is_none() {
                    s.main.push(self.day.into());
                }
                vec![s]
            } else {
                self.paragraph(rng)
            };
            n += p.iter().map(Sentence::words).sum::<usize>();
            doc.paragraphs.push(p);
        }
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(seed: u64) -> (Story, Rng) {
        let pools = topic_pools(seed);
        let mut rng = Rng::derive(seed, Stream::Family, 0);
        (Story::new(&mut rng, 2, &pools[2]), rng)
    }

    #[test]
    fn documents_have_paragraphs_and_the_asked_length() {
        let (mut s, mut rng) = story(1);
        let d = s.document(&mut rng, 600);
        assert!(d.words() >= 600 && d.words() < 700, "{}", d.words());
        let mut text = String::new();
        d.render(&mut text);
        assert!(text.contains("\n\n"));
        let mut words = 0usize;
        reprint::text::for_each_word(&text, |_| words += 1);
        assert!(words.abs_diff(d.words()) < 30, "{words} vs {}", d.words());
        for p in reprint::text::paragraphs(&text) {
            assert!(p.ends_with('.'), "{p}");
            assert!(
                p.chars().next().unwrap().is_uppercase() || p.starts_with('"'),
                "{p}"
            );
        }
    }

    #[test]
    fn sentences_render_each_attribution_style() {
        let mut s = Sentence {
            main: vec![
                "the".into(),
                "council".into(),
                "approved".into(),
                "the plan".into(),
            ],
            sub: Some(("after".into(), vec!["talks".into(), "ended".into()])),
            ..Default::default()
        };
        let r = |s: &Sentence| {
            let mut o = String::new();
            render_sentence(s, &mut o);
            o
        };
        assert_eq!(r(&s), "The council approved the plan after talks ended.");
        s.sub_first = true;
        assert_eq!(r(&s), "After talks ended, the council approved the plan.");
        s.sub_first = false;
        s.attr = Some(Attribution {
            speaker: "Anna Berg".into(),
            role: Some("mayor".into()),
            verb: "said".into(),
            style: AttrStyle::Trailing,
        });
        assert_eq!(
            r(&s),
            "The council approved the plan after talks ended, Anna Berg, the mayor, said."
        );
        s.attr.as_mut().unwrap().style = AttrStyle::Quote;
        assert_eq!(
            r(&s),
            "\"The council approved the plan after talks ended,\" Anna Berg, the mayor, said."
        );
        s.attr.as_mut().unwrap().style = AttrStyle::According;
        s.attr.as_mut().unwrap().role = None;
        assert_eq!(
            r(&s),
            "According to Anna Berg, the council approved the plan after talks ended."
        );
    }

    #[test]
    fn lengths_follow_the_table() {
        let mut rng = Rng::derive(3, Stream::Plan, 0);
        let n = 20_000;
        let lens: Vec<usize> = (0..n).map(|_| story_length(&mut rng)).collect();
        let mean = lens.iter().sum::<usize>() as f64 / n as f64;
        assert!((560.0..640.0).contains(&mean), "{mean}");
        assert!(*lens.iter().min().unwrap() >= 117 && *lens.iter().max().unwrap() <= 2167);
    }

    #[test]
    fn related_stories_share_entities() {
        let pools = topic_pools(5);
        let (s, mut rng) = story(5);
        let (r, shared) = s.related(&mut rng, &pools[2], 3);
        assert!(shared >= 1);
        assert_eq!(r.topic, s.topic);
        let common = r.people.iter().filter(|p| s.people.contains(p)).count()
            + r.places.iter().filter(|p| s.places.contains(p)).count()
            + r.orgs.iter().filter(|p| s.orgs.contains(p)).count();
        assert!(common >= shared);
    }
}
