//! The HTML pages (`reprint diff --format html`, `reprint report`) loaded in a real
//! browser: headless Chromium renders them to a screenshot, and the test looks at the
//! pixels (the highlight colours must be on screen, the page must not be blank) and at
//! the DOM Chromium parsed (every pair's section is there).
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

/// The stylesheet's colours: removed words, added words, the `rewrite` and
/// `partial` verdict badges.
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

#[test]
fn diff_page_renders_side_by_side_with_highlights() {
    let Some(browser) = browser_or_skip("diff_page_renders_side_by_side_with_highlights") else {
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
        "the page must be self-contained"
    );

    let parsed = dom(&browser, &page);
    assert_eq!(parsed.matches("<section class=\"pair\"").count(), 1);
    assert!(parsed.contains("rewrite"), "verdict shown");
    assert!(parsed.contains("<del>") && parsed.contains("<ins>"));

    let shot = shoot(&browser, &page, "diff-wide", 1400, 1600);
    let (del, ins) = (shot.count_near(DEL), shot.count_near(INS));
    assert!(
        del > 5_000,
        "removed-word highlight barely visible: {del} px"
    );
    assert!(ins > 5_000, "added-word highlight barely visible: {ins} px");
    assert!(shot.count_near(REWRITE) > 200, "verdict badge not visible");
    assert!(shot.count_dark() > 20_000, "little text on screen");
    // Side by side: both halves of the table carry highlighted words.
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
    let narrow = shoot(&browser, &page, "diff-narrow", 420, 900);
    assert!(narrow.count_dark() > 2_000);
    assert!(narrow.count_near(DEL) + narrow.count_near(INS) > 1_000);
}

#[test]
fn report_page_lists_pairs_and_renders_each_diff() {
    let Some(browser) = browser_or_skip("report_page_lists_pairs_and_renders_each_diff") else {
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
    let n = String::from_utf8_lossy(&pairs.stdout).lines().count();
    assert!(n >= 1);

    let parsed = dom(&browser, &page);
    assert_eq!(
        parsed.matches("<section class=\"pair\"").count(),
        n,
        "one aligned diff per listed pair"
    );
    for i in 1..=n {
        assert!(
            parsed.contains(&format!("href=\"#pair-{i}\"")),
            "summary links pair {i}"
        );
    }

    let shot = shoot(&browser, &page, "report", 1400, 1800);
    assert!(shot.count_near(REWRITE) > 200, "rewrite badge not visible");
    assert!(shot.count_near(PARTIAL) > 200, "partial badge not visible");
    assert!(shot.count_near(DEL) > 2_000 && shot.count_near(INS) > 2_000);
    assert!(shot.count_dark() > 20_000);

    // --max-pairs keeps the list whole and aligns only the first pairs.
    let short = dir.path().join("short.html");
    reprint()
        .args(["report", "-q", "--max-pairs", "1", "--out"])
        .arg(&short)
        .arg(&seeds)
        .assert()
        .code(0);
    let html = std::fs::read_to_string(&short).unwrap();
    assert_eq!(html.matches("<section class=\"pair\"").count(), 1);
    assert_eq!(html.matches("<tr><td>").count(), n, "every pair listed");
}
