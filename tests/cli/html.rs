//! The HTML pages (`reprint diff --format html`, `reprint report`) loaded in a real
//! browser: headless Chromium renders them to a screenshot, and the test looks at the
//! pixels (the highlight colours must be on screen, the page must not be blank) and at
//! the DOM Chromium parsed. Report pages are driven by a small script appended to a
//! copy of the page (it clicks, filters and sorts, then writes what it saw into the
//! DOM), run with `--virtual-time-budget` and read back with `--dump-dom`.
//!
//! `report_of_1000_pairs_is_small_fast_and_usable` makes a 1,550-document corpus with
//! `reprint gen` (1,058 pairs) and a report with 1,000 diffs: about a minute in a debug
//! build. It records the page size and load time in
//! `target/html-screenshots/report-1000.json`.
//!
//! Needs Chromium (`chromium`, `chromium-browser` or `google-chrome` on PATH, or
//! `REPRINT_CHROMIUM=/path`). Without one the tests say so and pass, unless
//! `REPRINT_REQUIRE_BROWSER=1` (set by `.ci/run`, which installs Chromium).
//! Screenshots are kept in `target/html-screenshots/` for people to look at.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use crate::util::{reprint, seed_path as seed};

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("REPRINT_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn browser_or_skip(test: &str) -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        if std::env::var_os("REPRINT_REQUIRE_BROWSER").is_some_and(|v| v == "1") {
            panic!("REPRINT_REQUIRE_BROWSER=1 but no Chromium found (set REPRINT_CHROMIUM)");
        }
        eprintln!("{test}: skipped, no Chromium on PATH (set REPRINT_CHROMIUM)");
    }
    found
}

/// Runs headless Chromium on `page` with `extra` arguments and returns its stdout.
fn run_chromium(browser: &Path, profile: &Path, page: &Path, extra: &[String]) -> String {
    let out = StdCommand::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("starting Chromium");
    assert!(
        out.status.success(),
        "Chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Shot {
    width: u32,
    height: u32,
    rgb: Vec<[u8; 3]>,
}

impl Shot {
    fn load(path: &Path) -> Shot {
        let decoder = png::Decoder::new(std::fs::File::open(path).expect("screenshot written"));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = info.color_type.samples();
        assert!(
            channels >= 3,
            "unexpected colour type {:?}",
            info.color_type
        );
        let rgb = buf[..info.buffer_size()]
            .chunks(channels)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        Shot {
            width: info.width,
            height: info.height,
            rgb,
        }
    }

    /// Pixels within 6 of `c` on every channel.
    fn count_near(&self, c: [u8; 3]) -> usize {
        self.rgb
            .iter()
            .filter(|p| (0..3).all(|i| p[i].abs_diff(c[i]) <= 6))
            .count()
    }

    /// Pixels dark enough to be text.
    fn count_dark(&self) -> usize {
        self.rgb
            .iter()
            .filter(|p| p.iter().all(|&v| v < 110))
            .count()
    }
}

/// The stylesheet's colours: matched words, removed words, added words, the `rewrite`
/// and `partial` verdict badges.
const MARK: [u8; 3] = [0xfd, 0xe6, 0x8a];
const DEL: [u8; 3] = [0xff, 0xd7, 0xd5];
const INS: [u8; 3] = [0xd4, 0xf7, 0xd4];
const REWRITE: [u8; 3] = [0xff, 0xe8, 0xcc];
const PARTIAL: [u8; 3] = [0xff, 0xf5, 0xc2];

fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/html-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn shoot(browser: &Path, page: &Path, name: &str, width: u32, height: u32) -> Shot {
    let profile = tempfile::tempdir().unwrap();
    let png = screenshot_dir().join(format!("{name}.png"));
    let _ = std::fs::remove_file(&png);
    run_chromium(
        browser,
        profile.path(),
        page,
        &[
            format!("--window-size={width},{height}"),
            format!("--screenshot={}", png.display()),
        ],
    );
    let shot = Shot::load(&png);
    assert_eq!((shot.width, shot.height), (width, height));
    shot
}

fn dom(browser: &Path, page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    run_chromium(browser, profile.path(), page, &["--dump-dom".to_string()])
}

/// Flags that let a page's timers and promises run before the DOM is dumped or the
/// screenshot taken.
fn settle() -> Vec<String> {
    vec![
        "--run-all-compositor-stages-before-draw".to_string(),
        "--virtual-time-budget=10000".to_string(),
    ]
}

/// A copy of `page` with `script` appended (it runs after the page's own script).
fn with_script(page: &Path, name: &str, script: &str) -> PathBuf {
    let mut html = std::fs::read_to_string(page).unwrap();
    html.push_str("<script>");
    html.push_str(script);
    html.push_str("</script>");
    let out = page.with_file_name(name);
    std::fs::write(&out, html).unwrap();
    out
}

/// Runs `page` with `script` appended at a `width` px window; the script must write
/// a JSON object into `<pre id="result">`, which is returned.
fn drive(browser: &Path, page: &Path, script: &str, width: u32) -> serde_json::Value {
    let copy = with_script(page, &format!("driven-{width}.html"), script);
    let profile = tempfile::tempdir().unwrap();
    let mut args = settle();
    args.push(format!("--window-size={width},1000"));
    args.push("--dump-dom".to_string());
    let out = run_chromium(browser, profile.path(), &copy, &args);
    const OPEN: &str = "<pre id=\"result\">";
    let start = out.rfind(OPEN).expect("the script wrote its result") + OPEN.len();
    let end = start + out[start..].find("</pre>").unwrap();
    let json = out[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// Appended to a report: records where the page stands after load, clicks the first
/// row's diff button, then keeps only `rewrite` rows, then sorts by score.
const DRIVE_REPORT: &str = r#"
addEventListener('load', async () => {
  const out = {};
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  const done = () => document.body.insertAdjacentHTML('beforeend',
    '<pre id="result">' + JSON.stringify(out).replace(/&/g, '&amp;').replace(/</g, '&lt;') + '</pre>');
  try {
    const rows = () => [...document.querySelectorAll('#pairs > tbody > tr[data-v]')];
    out.rows = rows().length;
    out.diffrows_at_load = document.querySelectorAll('tr.diffrow').length;
    out.tables_at_load = document.querySelectorAll('table.pair').length;
    const b = document.querySelector('#pairs > tbody > tr button.open');
    out.button_top = b.getBoundingClientRect().top + scrollY;
    b.click();
    for (let i = 0; i < 500 && !document.querySelector('tr.diffrow table.pair'); i++) await wait(10);
    const d = document.querySelector('tr.diffrow');
    out.expanded = b.getAttribute('aria-expanded');
    out.diff_top = d.getBoundingClientRect().top + scrollY;
    out.diff_html = d.querySelector('table.pair').outerHTML;
    out.marks = d.querySelectorAll('mark').length;
    out.changes = d.querySelectorAll('del, ins').length;
    out.scroll_width = document.documentElement.scrollWidth;
    out.inner_width = innerWidth;
    const verdicts = [...new Set(rows().map((r) => r.dataset.v))];
    out.verdicts = verdicts;
    const keep = verdicts.includes('rewrite') ? 'rewrite' : verdicts[0];
    out.kept = keep;
    document.querySelectorAll('#filters input[type=checkbox]').forEach((x) => {
      if (x.value !== keep) x.click();
    });
    const shown = rows().filter((r) => r.getClientRects().length > 0);
    out.shown = shown.length;
    out.shown_verdicts = [...new Set(shown.map((r) => r.dataset.v))];
    out.of_kept = rows().filter((r) => r.dataset.v === keep).length;
    out.diff_hidden = d.getClientRects().length === 0;
    out.status = document.getElementById('shown').textContent;
    const th = [...document.querySelectorAll('#pairs > thead th')];
    const score = th.findIndex((t) => t.textContent.startsWith('score'));
    th[score].querySelector('button').click();
    const s = rows().filter((r) => !r.hidden).map((r) => parseFloat(r.cells[score].textContent));
    out.sorted = s.every((x, i) => i === 0 || s[i - 1] >= x);
    out.aria_sort = th[score].getAttribute('aria-sort');
    out.diff_follows_row = b.closest('tr').nextElementSibling === d;
  } catch (e) {
    out.error = String(e);
  }
  done();
});
"#;

/// Appended to a report: opens the first row's diff (and with `#diff` in the
/// address, switches "show differences" on), for screenshots.
const OPEN_FIRST: &str = r#"
addEventListener('load', () => {
  document.querySelector('#pairs > tbody > tr button.open').click();
  if (location.hash === '#diff') document.getElementById('show-diff').click();
});
"#;

/// Appended to a page: records the load time (navigation start to the load event,
/// then a forced layout) in `<pre id="result">`.
const MEASURE_LOAD: &str = r#"
addEventListener('load', () => {
  const t0 = performance.now();
  const h = document.documentElement.scrollHeight;
  const t1 = performance.now();
  const n = performance.getEntriesByType('navigation')[0];
  document.body.insertAdjacentHTML('beforeend', '<pre id="result">' + JSON.stringify({
    dom_content_loaded_ms: Math.round(n.domContentLoadedEventEnd),
    load_ms: Math.round(t1), height_px: h,
    elements: document.getElementsByTagName('*').length,
  }) + '</pre>');
});
"#;

/// The JSON data of a report's diffs (base64 of gzip in `#reprint-data`).
pub fn report_data(html: &str) -> serde_json::Value {
    use std::io::Read as _;
    const OPEN: &str = "<script id=\"reprint-data\" type=\"application/x-reprint\">";
    let start = html.find(OPEN).expect("the page has its data") + OPEN.len();
    let end = start + html[start..].find("</script>").unwrap();
    let mut bytes = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in html[start..end].bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
        }
    }
    let mut json = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut json)
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

#[test]
fn diff_page_marks_matches_and_shows_differences_on_request() {
    let Some(browser) = browser_or_skip("diff_page_marks_matches_and_shows_differences_on_request")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("diff.html");
    reprint()
        .args(["diff", "--format", "html", "--out"])
        .arg(&page)
        .arg(seed("003"))
        .arg(seed("002"))
        .assert()
        .code(0);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://") && !html.contains("<script"),
        "the page must be self-contained, and needs no script"
    );

    let parsed = dom(&browser, &page);
    assert_eq!(parsed.matches("<table class=\"pair\"").count(), 1);
    assert!(parsed.contains("rewrite"), "verdict shown");
    assert!(parsed.contains("<mark>") && parsed.contains("<del>") && parsed.contains("<ins>"));
    assert!(
        parsed.contains("id=\"show-diff\""),
        "the differences switch"
    );
    assert!(
        parsed.contains("struck through") && parsed.contains("underlined"),
        "legend"
    );

    // Matches highlighted; removed and added words not marked until asked for.
    let shot = shoot(&browser, &page, "diff-wide", 1400, 1600);
    assert!(
        shot.count_near(MARK) > 20_000,
        "matched words barely highlighted"
    );
    assert!(shot.count_near(DEL) < 2_000 && shot.count_near(INS) < 2_000);
    assert!(shot.count_near(REWRITE) > 200, "verdict badge not visible");
    assert!(shot.count_dark() > 20_000, "little text on screen");

    let on = with_script(
        &page,
        "diff-on.html",
        "document.getElementById('show-diff').click();",
    );
    let shot = shoot(&browser, &on, "diff-wide-differences", 1400, 1600);
    let (del, ins) = (shot.count_near(DEL), shot.count_near(INS));
    assert!(
        del > 5_000,
        "removed-word highlight barely visible: {del} px"
    );
    assert!(ins > 5_000, "added-word highlight barely visible: {ins} px");
    // Side by side: removed words on the left, added on the right.
    let half = shot.width as usize / 2;
    let on_side = |c: [u8; 3], right: bool| {
        shot.rgb
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                ((i % shot.width as usize) >= half) == right
                    && (0..3).all(|k| p[k].abs_diff(c[k]) <= 6)
            })
            .count()
    };
    assert!(on_side(DEL, false) > 5 * on_side(DEL, true).max(1));
    assert!(on_side(INS, true) > 5 * on_side(INS, false).max(1));

    // A phone-sized window still shows text and highlights (no blank page).
    let narrow = shoot(&browser, &page, "diff-narrow", 400, 900);
    assert!(narrow.count_dark() > 2_000);
    assert!(narrow.count_near(MARK) > 1_000);
}

#[test]
fn report_page_lists_pairs_and_renders_diffs_like_diff_does() {
    let Some(browser) = browser_or_skip("report_page_lists_pairs_and_renders_diffs_like_diff_does")
    else {
        return;
    };
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    reprint()
        .args(["report", "-q", "--out"])
        .arg(&page)
        .arg(&seeds)
        .assert()
        .code(0);
    let pairs = reprint()
        .args(["pairs", "-q", "--format", "jsonl"])
        .arg(&seeds)
        .output()
        .unwrap();
    let pairs: Vec<serde_json::Value> = String::from_utf8_lossy(&pairs.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let n = pairs.len();
    assert!(n >= 2);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert_eq!(html.matches("<tr data-v=").count(), n, "one row per pair");
    assert_eq!(html.matches("data-d=").count(), n, "a diff per row");

    let got = drive(&browser, &page, DRIVE_REPORT, 1280);
    assert_eq!(got.get("error"), None, "{got}");
    assert_eq!(got["rows"], n);
    assert_eq!(got["tables_at_load"], 0);
    assert_eq!(got["expanded"], "true");
    // The most informative pair first: the seeds' rewrite.
    assert_eq!(got["kept"], "rewrite");
    assert_eq!(got["shown_verdicts"], serde_json::json!(["rewrite"]));
    assert_eq!(got["shown"], got["of_kept"]);
    assert_eq!(got["sorted"], true);
    assert_eq!(got["aria_sort"], "descending");

    // The report's diff is the one `diff --corpus` draws for the same pair.
    let first = &pairs[0];
    let single = dir.path().join("single.html");
    reprint()
        .args(["diff", "--format", "html", "--corpus"])
        .arg(&seeds)
        .arg(first["a"].as_str().unwrap())
        .arg(first["b"].as_str().unwrap())
        .arg("--out")
        .arg(&single)
        .assert()
        .code(0);
    let single = dom(&browser, &single);
    let start = single.find("<table class=\"pair\"").unwrap();
    let end = start + single[start..].find("</table>").unwrap() + 8;
    assert_eq!(
        got["diff_html"].as_str().unwrap(),
        &single[start..end],
        "the report's script and `diff --format html` draw the same table"
    );

    let opened = with_script(&page, "report-open.html", OPEN_FIRST);
    let profile = tempfile::tempdir().unwrap();
    let png = screenshot_dir().join("report.png");
    let mut args = settle();
    args.extend([
        "--window-size=1400,1800".to_string(),
        format!("--screenshot={}", png.display()),
    ]);
    run_chromium(&browser, profile.path(), &opened, &args);
    let shot = Shot::load(&png);
    assert!(shot.count_near(REWRITE) > 200, "rewrite badge not visible");
    assert!(shot.count_near(PARTIAL) > 200, "partial badge not visible");
    assert!(shot.count_near(MARK) > 10_000, "the opened diff's matches");
    assert!(shot.count_dark() > 20_000);

    // --max-pairs keeps the list whole and gives diffs to the first rows only.
    let short = dir.path().join("short.html");
    reprint()
        .args(["report", "-q", "--max-pairs", "1", "--out"])
        .arg(&short)
        .arg(&seeds)
        .assert()
        .code(0);
    let html = std::fs::read_to_string(&short).unwrap();
    assert_eq!(html.matches("data-d=").count(), 1);
    assert_eq!(html.matches("<tr data-v=").count(), n, "every pair listed");
    assert_eq!(report_data(&html)["diffs"].as_array().unwrap().len(), 1);
}

/// Takes a screenshot of `page` after `settle()`, named `name`.
fn shoot_settled(browser: &Path, page: &Path, name: &str, width: u32, height: u32) -> Shot {
    let profile = tempfile::tempdir().unwrap();
    let png = screenshot_dir().join(format!("{name}.png"));
    let _ = std::fs::remove_file(&png);
    let mut args = settle();
    args.extend([
        format!("--window-size={width},{height}"),
        format!("--screenshot={}", png.display()),
    ]);
    run_chromium(browser, profile.path(), page, &args);
    Shot::load(&png)
}

#[test]
fn report_of_1000_pairs_is_small_fast_and_usable() {
    let Some(browser) = browser_or_skip("report_of_1000_pairs_is_small_fast_and_usable") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let gen = dir.path().join("gen");
    reprint()
        .args(["gen", "-q", "--docs", "1550", "--seed", "7", "--out"])
        .arg(&gen)
        .assert()
        .code(0);
    let page = dir.path().join("report.html");
    let t = std::time::Instant::now();
    reprint()
        .args(["report", "-q", "--max-pairs", "1000", "--out"])
        .arg(&page)
        .arg(gen.join("corpus.jsonl"))
        .assert()
        .code(0);
    let write_s = t.elapsed().as_secs_f64();
    let html = std::fs::read_to_string(&page).unwrap();
    let rows = html.matches("<tr data-v=").count();
    let diffs = html.matches("data-d=").count();
    assert!(rows >= 1000, "{rows} rows");
    assert_eq!(diffs, 1000);
    let mb = html.len() as f64 / 1e6;
    assert!(mb < 3.0, "the page is {mb:.2} MB");
    assert!(!html.contains("http://") && !html.contains("https://"));
    let data = report_data(&html);
    assert_eq!(data["diffs"].as_array().unwrap().len(), 1000);

    // Load time: navigation start to the load event and a forced layout, no virtual
    // time. Recorded, not asserted tightly (the machine is shared).
    let measured = drive_plain(&browser, &page, MEASURE_LOAD);
    let load_ms = measured["load_ms"].as_f64().unwrap();
    assert!(load_ms < 20_000.0, "{measured}");

    // Nothing of the diffs is laid out at load; the first row's diff opens with one
    // click above the fold.
    let got = drive(&browser, &page, DRIVE_REPORT, 1280);
    assert_eq!(got.get("error"), None, "{got}");
    assert_eq!(got["rows"], rows);
    assert_eq!(got["tables_at_load"], 0);
    assert_eq!(got["diffrows_at_load"], 0);
    let top = got["diff_top"].as_f64().unwrap();
    assert!(top < 1000.0, "the first diff starts at {top} px");
    assert!(got["marks"].as_u64().unwrap() > 0);
    // The filter: only rows of the chosen verdict are visible, and all of them.
    assert_eq!(got["kept"], "rewrite");
    assert_eq!(got["shown_verdicts"], serde_json::json!(["rewrite"]));
    assert_eq!(got["shown"], got["of_kept"]);
    assert!(got["shown"].as_u64().unwrap() > 50);
    assert_eq!(
        got["status"],
        format!("{} of {rows} rows shown", got["shown"])
    );
    assert_eq!(got["sorted"], true);
    assert_eq!(
        got["diff_follows_row"], true,
        "an open diff moves with its row"
    );

    // A narrow window: no page-wide horizontal scroll, the diff still one click away.
    let narrow = drive(&browser, &page, DRIVE_REPORT, 400);
    assert_eq!(narrow.get("error"), None, "{narrow}");
    assert!(
        narrow["scroll_width"].as_u64() <= narrow["inner_width"].as_u64(),
        "{narrow}"
    );
    let top = narrow["diff_top"].as_f64().unwrap();
    assert!(
        top < 2000.0,
        "the first diff starts at {top} px at 400 px wide"
    );

    let opened = with_script(&page, "report-1000-open.html", OPEN_FIRST);
    let wide = shoot_settled(&browser, &opened, "report-1000-wide", 1280, 1000);
    assert!(wide.count_near(REWRITE) > 200, "rewrite badge");
    assert!(
        wide.count_near(MARK) > 10_000,
        "the first diff's matches on screen"
    );
    assert!(wide.count_dark() > 20_000);
    let narrow = shoot_settled(&browser, &opened, "report-1000-narrow", 400, 1400);
    assert!(
        narrow.count_near(MARK) > 2_000,
        "the first diff's matches on screen"
    );
    assert!(narrow.count_dark() > 5_000);

    let record = serde_json::json!({
        "pairs_rows": rows,
        "diffs": diffs,
        "page_bytes": html.len(),
        "write_s_debug_build": write_s,
        "load": measured,
        "first_diff_top_px": got["diff_top"],
    });
    std::fs::write(
        screenshot_dir().join("report-1000.json"),
        serde_json::to_string_pretty(&record).unwrap(),
    )
    .unwrap();
    eprintln!("report of 1000 pairs: {record}");
}

/// As [`drive`], without virtual time (for timings).
fn drive_plain(browser: &Path, page: &Path, script: &str) -> serde_json::Value {
    let copy = with_script(page, "measured.html", script);
    let profile = tempfile::tempdir().unwrap();
    let out = run_chromium(
        browser,
        profile.path(),
        &copy,
        &[
            "--window-size=1280,1000".to_string(),
            "--dump-dom".to_string(),
        ],
    );
    const OPEN: &str = "<pre id=\"result\">";
    let start = out.rfind(OPEN).expect("the script wrote its result") + OPEN.len();
    let end = start + out[start..].find("</pre>").unwrap();
    serde_json::from_str(&out[start..end]).unwrap()
}
