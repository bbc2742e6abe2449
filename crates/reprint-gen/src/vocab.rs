//! The generator's built-in vocabulary: topics (nouns, verbs, adjectives, roles and
//! kinds of organisation), general news phrasing, name parts from which people, places
//! and organisations are composed, and the synonym list rewrites draw from.
//!
//! The words are real English, but chosen for the generator, not sampled from a
//! corpus; names are composed from syllables, so most are unique to a story (rare, as
//! real names are) while each topic keeps a pool of recurring ones.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A topic's word lists. Verbs are `base:past` pairs.
pub struct Topic {
    /// Topic name, written in the corpus and the truth file (`politics`).
    pub name: &'static str,
    /// Nouns, separated by whitespace.
    pub nouns: &'static str,
    /// Verbs as `base:past` pairs, separated by whitespace.
    pub verbs: &'static str,
    /// Adjectives, separated by whitespace.
    pub adjectives: &'static str,
    /// People's roles (`finance minister`), separated by `;`.
    pub roles: &'static str,
    /// Kinds of organisation appended to a name (`Electoral Commission`), separated by `;`.
    pub orgs: &'static str,
    /// What figures count (`votes`, `percent`), separated by `;`.
    pub units: &'static str,
}

/// The built-in topics; a story's topic is an index into this list.
pub const TOPICS: &[Topic] = &[
    Topic {
        name: "politics",
        nouns: "election vote bill law parliament government coalition minister cabinet \
            campaign policy reform budget proposal debate opposition party leader mandate \
            referendum constituency majority amendment council mayor senate lawmaker \
            candidate poll ballot turnout agenda scandal resignation motion committee \
            delegation summit treaty envoy",
        verbs: "approve:approved reject:rejected propose:proposed announce:announced \
            criticise:criticised defend:defended block:blocked delay:delayed \
            endorse:endorsed challenge:challenged question:questioned pass:passed \
            oppose:opposed back:backed unveil:unveiled negotiate:negotiated \
            withdraw:withdrew demand:demanded",
        adjectives: "parliamentary controversial narrow sweeping bipartisan senior \
            opposition ruling interim fragile decisive contested constitutional regional",
        roles: "prime minister;interior minister;finance minister;opposition leader;\
            party spokesperson;senior lawmaker;deputy mayor;chief negotiator",
        orgs: "Party;Council;Assembly;Electoral Commission;Ministry of the Interior;Senate",
        units: "votes;seats;percent;lawmakers",
    },
    Topic {
        name: "economy",
        nouns: "inflation market economy bank rate price investor growth recession \
            export import currency deficit debt share stock profit revenue forecast \
            tariff wage unemployment factory output demand supply loan bond fund \
            merger acquisition quarter earnings consumer index sector subsidy",
        verbs: "raise:raised cut:cut rise:rose fall:fell slow:slowed report:reported \
            forecast:forecast warn:warned expect:expected invest:invested \
            borrow:borrowed acquire:acquired lower:lowered boost:boosted hold:held \
            surge:surged slump:slumped",
        adjectives: "economic quarterly annual fiscal monetary sluggish robust volatile \
            weaker stronger global domestic industrial financial",
        roles: "central bank governor;chief economist;finance minister;chief executive;\
            trade minister;market analyst;fund manager",
        orgs: "Central Bank;Chamber of Commerce;Holdings;Bank;Trade Federation;\
            Statistics Office;Group",
        units: "percent;billion dollars;million euros;basis points;jobs",
    },
    Topic {
        name: "conflict",
        nouns: "ceasefire strike attack troops army offensive border militia rebel \
            soldier casualty civilian shelling airstrike convoy refugee hostage truce \
            negotiation frontline checkpoint weapon missile drone siege evacuation \
            aid corridor fighting violence clash raid",
        verbs: "attack:attacked strike:struck kill:killed wound:wounded capture:captured \
            retreat:retreated advance:advanced shell:shelled evacuate:evacuated \
            condemn:condemned deploy:deployed seize:seized release:released \
            violate:violated launch:launched repel:repelled",
        adjectives: "military armed heavy deadly fierce overnight humanitarian \
            besieged northern southern eastern western temporary",
        roles: "army spokesperson;defence minister;military commander;UN envoy;\
            rebel commander;aid coordinator;foreign minister",
        orgs: "Armed Forces;Defence Ministry;Red Crescent;Relief Agency;Peacekeeping Mission",
        units: "people;civilians;soldiers;families;kilometres",
    },
    Topic {
        name: "justice",
        nouns: "court judge trial verdict sentence prosecutor defendant lawyer jury \
            police investigation suspect arrest charge fraud murder robbery appeal \
            evidence witness testimony prison bail hearing case lawsuit ruling \
            detective officer victim inquiry warrant",
        verbs: "arrest:arrested charge:charged convict:convicted acquit:acquitted \
            sentence:sentenced appeal:appealed testify:testified investigate:investigated \
            deny:denied accuse:accused detain:detained rule:ruled dismiss:dismissed \
            order:ordered search:searched",
        adjectives: "criminal judicial federal guilty innocent lengthy alleged \
            fraudulent violent suspended landmark unanimous",
        roles: "chief prosecutor;defence lawyer;police chief;presiding judge;\
            detective inspector;court spokesperson",
        orgs: "High Court;Police Department;Prosecutor's Office;Court of Appeal;\
            Bar Association",
        units: "years;months;suspects;charges;dollars",
    },
    Topic {
        name: "health",
        nouns: "hospital patient doctor nurse vaccine virus outbreak infection disease \
            treatment clinic drug trial study health epidemic symptom case death \
            surgery ward pharmacy shortage waiting list researcher dose therapy \
            screening diagnosis medicine cancer",
        verbs: "treat:treated diagnose:diagnosed vaccinate:vaccinated spread:spread \
            recover:recovered admit:admitted test:tested approve:approved \
            recommend:recommended detect:detected infect:infected prescribe:prescribed \
            study:studied warn:warned fund:funded",
        adjectives: "medical clinical infectious chronic severe mild public \
            experimental rural urgent preventive contagious",
        roles: "health minister;chief medical officer;hospital director;\
            lead researcher;head nurse;epidemiologist",
        orgs: "Health Service;Institute of Health;University Hospital;\
            Medicines Agency;Public Health Authority",
        units: "patients;cases;doses;percent;beds",
    },
    Topic {
        name: "disaster",
        nouns: "storm flood earthquake fire wildfire rain wind river bridge road \
            village rescue damage emergency shelter power outage landslide drought \
            heatwave forecast warning resident evacuation firefighter crew debris \
            coast dam tremor aftershock",
        verbs: "destroy:destroyed damage:damaged flood:flooded evacuate:evacuated \
            rescue:rescued hit:hit sweep:swept collapse:collapsed burn:burned \
            warn:warned restore:restored close:closed strand:stranded \
            search:searched declare:declared",
        adjectives: "torrential severe powerful coastal rural emergency deadly \
            widespread heavy record strong flooded",
        roles: "fire chief;emergency services director;regional governor;\
            weather service spokesperson;rescue coordinator",
        orgs: "Fire Service;Civil Protection Agency;Meteorological Office;\
            Emergency Management Authority;Coast Guard",
        units: "homes;millimetres;hectares;residents;kilometres",
    },
    Topic {
        name: "sport",
        nouns: "match team season league coach player goal game championship final \
            title victory defeat striker goalkeeper tournament club fan stadium injury \
            transfer contract record medal race round point penalty squad captain \
            semi-final qualifier",
        verbs: "win:won lose:lost beat:beat score:scored draw:drew sign:signed \
            injure:injured play:played defeat:defeated qualify:qualified \
            equalise:equalised miss:missed clinch:clinched celebrate:celebrated \
            retire:retired",
        adjectives: "dramatic late stunning comfortable crucial unbeaten defending \
            home away young veteran decisive",
        roles: "head coach;team captain;club president;star striker;\
            sporting director;league official",
        orgs: "United;City;Athletic Club;Rovers;Football Association;Olympic Committee",
        units: "points;goals;minutes;matches;seconds",
    },
    Topic {
        name: "technology",
        nouns: "company software data platform user network chip device app \
            security breach hacker startup investment regulator privacy algorithm \
            service cloud smartphone update launch product engineer server outage \
            patent licence subscription model robot satellite",
        verbs: "launch:launched release:released hack:hacked acquire:acquired \
            develop:developed fine:fined update:updated collect:collected \
            expand:expanded block:blocked test:tested design:designed ship:shipped \
            patch:patched unveil:unveiled",
        adjectives: "digital online mobile artificial encrypted new latest faulty \
            automated wireless open-source commercial",
        roles: "chief executive;chief technology officer;security researcher;\
            company spokesperson;data protection commissioner;founder",
        orgs: "Technologies;Systems;Labs;Networks;Data Protection Authority;Software",
        units: "users;million dollars;percent;devices;accounts",
    },
];

/// Words any topic uses.
pub const GENERAL_NOUNS: &str = "plan statement meeting report official week month year \
    decision crisis agreement response concern pressure talks situation deal measure \
    issue spokesperson region city country community authority effort support warning";

/// Adjectives any topic uses, separated by whitespace.
pub const GENERAL_ADJECTIVES: &str = "new major significant local national international \
    recent key latest further initial final serious broad long-awaited";

/// Subordinating conjunctions that join two clauses.
pub const CONJUNCTIONS: &[&str] = &[
    "after", "because", "while", "although", "as", "before", "when",
];

/// Attribution verbs (past tense).
pub const SAID: &[&str] = &["said", "told reporters", "added", "said in a statement"];

/// When a story happens (`on Monday`, `overnight`): one per story, repeated in it.
pub const DAYS: &[&str] = &[
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "on Saturday",
    "on Sunday",
    "last week",
    "earlier this month",
    "late on Tuesday",
    "this week",
    "overnight",
];

/// Modal verbs of quoted clauses (`we must ...`).
pub const MODALS: &[&str] = &[
    "will", "must", "cannot", "should", "will not", "may", "need to",
];

/// Subjects of quoted clauses.
pub const QUOTE_SUBJECTS: &[&str] = &["we", "they", "I", "the government", "nobody", "everyone"];

/// Determiners that open an object noun phrase.
pub const DETERMINERS: &[&str] = &["the", "a", "its", "their", "the latest", "another"];

/// Prepositional phrases that attach a trailing noun to a clause (`in response to`).
pub const EXTRAS: &[&str] = &[
    "for the first time since",
    "despite concerns over",
    "amid growing pressure over",
    "following weeks of debate over",
    "in response to",
    "as part of",
    "ahead of",
    "without any warning about",
];

/// First names, and the syllables surnames and place names are built from.
pub const FIRST_NAMES: &str = "Anna Maria David Elena James Sofia Omar Lucia Peter Amira \
    Thomas Ingrid Carlos Mei Daniel Fatima Robert Nadia Michael Olga Samuel Yasmin \
    Victor Hana Andrew Leila Marco Irene Paul Zara Hugo Clara Ivan Nora Felix Rosa \
    Adam Greta Tariq Julia Kenji Eva Pablo Alice Dmitri Laura Kwame Sara Luis Emma";

/// Leading syllables of surnames, separated by whitespace.
pub const SURNAME_HEADS: &str = "Kov Bar Hal Mor Lind Ros Fer Dal Sten Mar Ost Bel Car \
    Gal Har Jan Kel Lan Mal Nor Pet Ril Sal Tor Val Wes Ab Ed Ol Un Br Cr Dr Gr Pr Tr \
    Bl Fl Gl Pl Sch Sh St Th Vr Zel Ram Nak Oko Tan";

/// Trailing syllables of surnames, separated by whitespace.
pub const SURNAME_TAILS: &str = "alenko ova ini berg sson ez ero ani ard ley ton ford \
    ström aki ura enko ovic ski ian elli ing ander ez os ides escu adze ou ek ard is \
    onen inen owski ato ida ar uez ell aro ov";

/// Leading parts of place names, separated by whitespace.
pub const PLACE_HEADS: &str = "North South East West Ash Bel Cal Dun Fair Glen Hal King \
    Mar Red Stan Wood Brook Clear Elm Frost Gold Green High Iron Lake Long Mill New \
    Oak Pine Rock Salt Silver Stone Sun Thorn Vale Wind Bright Cold";

/// Trailing parts of place names, separated by whitespace.
pub const PLACE_TAILS: &str = "ford ton bridge field mouth wick haven stead burg dale \
    port ham ridge moor well water bury gate holm shore";

/// Groups of interchangeable words or phrases: a rewrite replaces a member by another
/// member of its group.
pub const SYNONYMS: &str = "said,stated,noted,remarked;told reporters,told journalists;\
    added,went on to say;\
    approve,endorse,back,sign off on;approved,endorsed,backed,signed off on;\
    reject,turn down,dismiss;rejected,turned down,dismissed;\
    announce,unveil,reveal;announced,unveiled,revealed;\
    criticise,condemn,slam;criticised,condemned,slammed;\
    propose,put forward,suggest;proposed,put forward,suggested;\
    raise,increase,lift;raised,increased,lifted;cut,reduced,lowered;\
    rose,climbed,increased;fell,dropped,declined;warn,caution;warned,cautioned;\
    attack,strike,hit;attacked,struck,hit;kill,killed;\
    launch,begin,start;launched,began,started;\
    arrested,detained,held;charged,indicted;accused,charged;denied,rejected;\
    destroy,wreck;destroyed,wrecked,flattened;damaged,hit,harmed;\
    rescued,saved,pulled out;evacuated,moved out;\
    win,secure,clinch;won,secured,clinched;beat,defeated,overcame;lost,was beaten in;\
    released,issued,published;acquired,bought,took over;\
    investigate,probe,look into;investigated,probed,looked into;\
    expect,anticipate;expected,anticipated;\
    plan,proposal,scheme;statement,announcement;meeting,session;report,study;\
    official,representative;decision,ruling;crisis,emergency;agreement,deal,accord;\
    concern,worry,fear;pressure,strain;talks,negotiations;measure,step;issue,matter;\
    city,town;country,nation;community,neighbourhood;effort,attempt;warning,alert;\
    major,big,large;significant,considerable,notable;new,fresh;recent,latest;key,central,main;\
    initial,first,early;final,last;serious,grave;broad,wide,sweeping;\
    heavy,intense;fierce,intense,fierce;deadly,fatal,lethal;severe,harsh;\
    government,administration,authorities;minister,secretary;\
    election,vote,poll;law,legislation;bill,draft law;leader,chief;\
    inflation,price growth;market,markets;economy,economic activity;\
    price,cost;investor,shareholder;growth,expansion;profit,earnings;\
    troops,forces,soldiers;army,military;attack,assault,offensive;\
    civilian,resident;refugee,displaced person;fighting,clashes,hostilities;\
    court,tribunal;judge,magistrate;lawyer,attorney;police,officers;suspect,accused;\
    investigation,inquiry,probe;evidence,proof;prison,jail;\
    hospital,medical centre;patient,sick person;doctor,physician;disease,illness;\
    treatment,care;drug,medication,medicine;study,research,trial;outbreak,surge;\
    storm,tempest;flood,flooding,deluge;fire,blaze;resident,local;damage,destruction;\
    emergency,crisis;shelter,refuge;road,highway;village,hamlet;\
    match,game,fixture;team,side,squad;coach,manager;player,athlete;victory,win;\
    defeat,loss;goal,strike;fan,supporter;title,crown;injury,knock;\
    company,firm,business;software,program;user,customer;device,gadget;\
    breach,leak;hacker,attacker;startup,young company;regulator,watchdog;\
    smartphone,phone,handset;update,upgrade;launch,roll-out;\
    on Monday,on Monday morning;on Tuesday,on Tuesday afternoon;last week,a week ago;\
    on Friday,on Friday evening;this week,in recent days;overnight,during the night;\
    because,since,as;while,whereas;although,though,even though;after,following;\
    before,ahead of;when,once;\
    will,is going to,would;must,has to;cannot,can't;should,ought to;may,might;\
    need to,have to;\
    despite concerns over,in spite of worries about;in response to,responding to;\
    as part of,within;ahead of,before;\
    amid growing pressure over,under mounting pressure over";

/// Synthetic words per topic: the long tail of a topic's vocabulary (technical terms,
/// rarer nouns). A story draws its own few dozen from it, the lower ranks far more
/// often, so two stories on one topic share the common words but rarely the rare ones,
/// as real stories do. They are pronounceable strings, not English.
pub const TAIL_WORDS: usize = 4000;

const ONSETS: &[&str] = &[
    "b", "br", "c", "ch", "cl", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "l", "m", "n", "p",
    "pl", "pr", "qu", "r", "s", "sc", "sh", "sl", "sp", "st", "t", "th", "tr", "v", "w",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "a", "e", "i", "o", "ou", "ea", "y"];
const CODAS: &[&str] = &[
    "", "", "", "n", "r", "l", "s", "t", "m", "nd", "rt", "st", "ck", "x",
];

/// `n` distinct pronounceable words for topic `topic`, none in `seen` (which grows).
/// Fixed for the topic: part of the model, not of the run's seed.
fn synthetic_words(
    topic: u64,
    n: usize,
    seen: &mut std::collections::HashSet<String>,
) -> Vec<String> {
    use super::rng::{Rng, Stream};
    let mut rng = Rng::derive(0x7A11, Stream::Topic, 1000 + topic);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let syllables = 2 + rng.chance(0.3) as usize;
        let mut w = String::new();
        for _ in 0..syllables {
            w.push_str(rng.word(ONSETS));
            w.push_str(rng.word(VOWELS));
        }
        w.push_str(rng.word(CODAS));
        if seen.insert(w.clone()) {
            out.push(w);
        }
    }
    out
}

/// The topic's lists split into words, computed once.
pub struct TopicWords {
    /// [`Topic::name`].
    pub name: &'static str,
    /// [`Topic::nouns`], one word per element.
    pub nouns: Vec<&'static str>,
    /// Base forms of [`Topic::verbs`], index-aligned with `verbs_past`.
    pub verbs_base: Vec<&'static str>,
    /// Past forms of [`Topic::verbs`], index-aligned with `verbs_base`.
    pub verbs_past: Vec<&'static str>,
    /// [`Topic::adjectives`], one word per element.
    pub adjectives: Vec<&'static str>,
    /// [`Topic::roles`], one phrase per element.
    pub roles: Vec<&'static str>,
    /// [`Topic::orgs`], one phrase per element.
    pub orgs: Vec<&'static str>,
    /// [`Topic::units`], one phrase per element.
    pub units: Vec<&'static str>,
}

/// Everything split and indexed once per process.
pub struct Vocab {
    /// [`TOPICS`] split into words, in the same order.
    pub topics: Vec<TopicWords>,
    /// [`GENERAL_NOUNS`] split into words.
    pub general_nouns: Vec<&'static str>,
    /// [`GENERAL_ADJECTIVES`] split into words.
    pub general_adjectives: Vec<&'static str>,
    /// [`FIRST_NAMES`] split into words.
    pub first_names: Vec<&'static str>,
    /// [`SURNAME_HEADS`] split into syllables.
    pub surname_heads: Vec<&'static str>,
    /// [`SURNAME_TAILS`] split into syllables.
    pub surname_tails: Vec<&'static str>,
    /// [`PLACE_HEADS`] split into parts.
    pub place_heads: Vec<&'static str>,
    /// [`PLACE_TAILS`] split into parts.
    pub place_tails: Vec<&'static str>,
    /// Per topic, its long tail of synthetic words (see [`TAIL_WORDS`]).
    pub tails: Vec<Vec<String>>,
    /// Synonym groups.
    pub groups: Vec<Vec<&'static str>>,
    /// Word or phrase -> its groups.
    pub synonyms: HashMap<&'static str, Vec<u32>>,
}

fn split_ws(s: &'static str) -> Vec<&'static str> {
    s.split_whitespace().collect()
}

fn split_semi(s: &'static str) -> Vec<&'static str> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect()
}

impl Vocab {
    /// The shared, immutable vocabulary.
    pub fn get() -> &'static Vocab {
        static V: OnceLock<Vocab> = OnceLock::new();
        V.get_or_init(Vocab::build)
    }

    fn build() -> Vocab {
        let topics = TOPICS
            .iter()
            .map(|t| {
                let (base, past) = t
                    .verbs
                    .split_whitespace()
                    .map(|v| v.split_once(':').expect("verbs are base:past"))
                    .unzip();
                TopicWords {
                    name: t.name,
                    nouns: split_ws(t.nouns),
                    verbs_base: base,
                    verbs_past: past,
                    adjectives: split_ws(t.adjectives),
                    roles: split_semi(t.roles),
                    orgs: split_semi(t.orgs),
                    units: split_semi(t.units),
                }
            })
            .collect();
        let mut groups = Vec::new();
        let mut synonyms: HashMap<&'static str, Vec<u32>> = HashMap::new();
        for g in split_semi(SYNONYMS) {
            let members: Vec<&'static str> = g.split(',').map(str::trim).collect();
            let mut unique = members.clone();
            unique.sort_unstable();
            unique.dedup();
            if unique.len() < 2 {
                continue;
            }
            let gi = groups.len() as u32;
            for &m in &unique {
                synonyms.entry(m).or_default().push(gi);
            }
            groups.push(unique);
        }
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let tails = (0..TOPICS.len())
            .map(|t| synthetic_words(t as u64, TAIL_WORDS, &mut seen))
            .collect();
        Vocab {
            tails,
            topics,
            general_nouns: split_ws(GENERAL_NOUNS),
            general_adjectives: split_ws(GENERAL_ADJECTIVES),
            first_names: split_ws(FIRST_NAMES),
            surname_heads: split_ws(SURNAME_HEADS),
            surname_tails: split_ws(SURNAME_TAILS),
            place_heads: split_ws(PLACE_HEADS),
            place_tails: split_ws(PLACE_TAILS),
            groups,
            synonyms,
        }
    }

    /// The members of the groups `word` belongs to, other than `word` itself (empty
    /// when it has no synonym). Deterministic order.
    pub fn synonyms_of<'a>(&'a self, word: &'a str) -> impl Iterator<Item = &'static str> + 'a {
        self.synonyms
            .get(word)
            .into_iter()
            .flatten()
            .flat_map(move |&g| self.groups[g as usize].iter().copied())
            .filter(move |&m| m != word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_well_formed() {
        let v = Vocab::get();
        assert_eq!(v.topics.len(), TOPICS.len());
        for t in &v.topics {
            assert!(t.nouns.len() >= 30, "{}", t.name);
            assert_eq!(t.verbs_base.len(), t.verbs_past.len());
            assert!(t.verbs_base.len() >= 14, "{}", t.name);
            assert!(t.roles.len() >= 5 && t.orgs.len() >= 5 && t.units.len() >= 4);
        }
        assert!(v.groups.len() > 100);
        assert!(v.tails.iter().all(|t| t.len() == TAIL_WORDS));
        assert_ne!(v.tails[0][0], v.tails[1][0]);
        let s: Vec<&str> = v.synonyms_of("said").collect();
        assert!(s.contains(&"stated") && !s.contains(&"said"));
        assert_eq!(v.synonyms_of("zebra").count(), 0);
    }
}
