//! Comparisons of texts written without spaces (Chinese, Japanese): copies, rewrites and
//! unrelated texts, short texts written for these tests.

use super::verdict::Verdict;
use super::Comparer;

const ZH: [&str; 4] = [
    "北京市图书馆周一宣布，将从下个月起延长周末开放时间。馆长表示，这一决定是为了满足越来越多学生和上班族的阅读需求。",
    "根据新的安排，图书馆周六和周日将开放到晚上十点。此外，馆内还将增加两百个自习座位，并提供免费的无线网络。",
    "去年，该馆共接待读者超过三百万人次，比前年增长了百分之十五。许多读者在社交媒体上对这一消息表示欢迎。",
    "市文化局的一位官员说，明年还计划在郊区新建三座分馆，以方便居住在城市外围的居民。",
];

const ZH_EDITED_LAST: &str =
    "市文化局的一位负责人表示，明年还打算在郊区新建三座分馆，方便住在城市外围的居民借书。";

const ZH_REWRITE: &str = "北京市图书馆宣布，自下个月开始延长周末开放时间。图书馆馆长说，此举是为了满足学生和上班族越来越多的阅读需求。\n\n\
    按照新的安排，周六和周日图书馆将开放到晚上十点。馆内自习座位将增加两百个，还将提供免费的无线网络。\n\n\
    该馆去年接待读者超过三百万人次，比前年增长百分之十五。";

const ZH_UNRELATED: &str = "今年夏天，南方多个省份遭遇了持续的高温天气。气象部门提醒大家注意防暑降温，尽量避免在中午外出。\n\n\
    农业专家指出，高温可能会影响水稻的生长，部分地区已经开始组织抗旱。";

const JA: &str = "東京都は月曜日、来年四月から公立図書館の開館時間を延長すると発表した。学生や会社員の利用が増えていることが理由だという。\n\n\
    新しい計画では、土曜日と日曜日は午後十時まで開館する。また、自習用の座席を二百席増やし、無料の無線インターネットも提供する。\n\n\
    昨年の来館者数は三百万人を超え、前年より十五パーセント増えた。";

const JA_REWRITE: &str = "来年四月から、東京都の公立図書館の開館時間が延長されると、都が月曜日に発表した。学生や会社員の利用が増えていることが理由だという。\n\n\
    新しい計画によると、土曜日と日曜日は午後十時まで開館する予定だ。自習用の座席も二百席増やし、無線インターネットを無料で提供する。\n\n\
    昨年の来館者数は三百万人を超え、前の年より十五パーセント増加した。";

const JA_UNRELATED: &str =
    "今年の夏は各地で記録的な猛暑となり、気象庁は熱中症への注意を呼びかけている。\n\n\
    農家の間では、米の生育への影響を心配する声が上がっている。政府は電力の節約も求めた。";

fn zh(last: &str) -> String {
    format!("{}\n\n{}\n\n{}\n\n{}", ZH[0], ZH[1], ZH[2], last)
}

#[test]
fn identical_chinese_is_a_duplicate_scoring_one() {
    let t = zh(ZH[3]);
    let c = Comparer::default().compare_texts(&t, &t);
    assert_eq!(c.verdict, Some(Verdict::Duplicate));
    assert!((c.score - 1.0).abs() < 1e-9, "{}", c.score);
    assert_eq!(c.overlap.jaccard, 1.0);
    assert_eq!(c.alignment.links.len(), 4);
    assert_eq!(c.passages.len(), 1);
    assert!(c.evidence.longest_run > 100);
}

#[test]
fn a_chinese_near_copy_aligns_every_paragraph() {
    let (a, b) = (zh(ZH[3]), zh(ZH_EDITED_LAST));
    let c = Comparer::default().compare_texts(&a, &b);
    assert!(
        matches!(c.verdict, Some(Verdict::NearDuplicate | Verdict::Duplicate)),
        "{:?} {:?}",
        c.verdict,
        c.evidence
    );
    assert_eq!(c.alignment.links.len(), 4, "{:?}", c.alignment.links);
    assert!(c.coverage_a > 0.95 && c.coverage_b > 0.95);
    // One passage over the whole text on both sides (characters, not bytes).
    assert_eq!(c.passages.len(), 1);
    let p = &c.passages[0];
    assert_eq!((p.a_start, p.a_end), (0, a.chars().count()));
    assert_eq!((p.b_start, p.b_end), (0, b.chars().count()));
}

#[test]
fn a_chinese_rewrite_is_found_and_unrelated_chinese_is_not() {
    let a = zh(ZH[3]);
    let c = Comparer::default().compare_texts(&a, ZH_REWRITE);
    assert!(
        matches!(c.verdict, Some(Verdict::Rewrite | Verdict::NearDuplicate)),
        "{:?} {:?}",
        c.verdict,
        c.evidence
    );
    assert!(c.evidence.aligned_pairs >= 5, "{:?}", c.evidence);
    let c = Comparer::default().compare_texts(&a, ZH_UNRELATED);
    assert_eq!(c.verdict, None, "{:?}", c.evidence);
    assert!(c.passages.is_empty());
}

#[test]
fn japanese_copies_rewrites_and_unrelated_texts() {
    let mut cmp = Comparer::default();
    let c = cmp.compare_texts(JA, JA);
    assert_eq!(c.verdict, Some(Verdict::Duplicate));
    assert!((c.score - 1.0).abs() < 1e-9);
    let c = cmp.compare_texts(JA, JA_REWRITE);
    assert!(
        matches!(c.verdict, Some(Verdict::Rewrite | Verdict::NearDuplicate)),
        "{:?} {:?}",
        c.verdict,
        c.evidence
    );
    assert!(c.coverage_a > 0.5 && c.coverage_b > 0.5);
    let c = cmp.compare_texts(JA, JA_UNRELATED);
    assert_eq!(c.verdict, None, "{:?}", c.evidence);
    assert!(c.score < 0.1, "{}", c.score);
}
