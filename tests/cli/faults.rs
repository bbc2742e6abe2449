//! Fault tests: runs that are killed (SIGKILL) or interrupted (SIGINT) at a
//! deterministic set of moments, inputs that shrink while they are read, and a full
//! disk. After each: the old output is intact or the new one complete (byte for byte
//! the output of an uninterrupted run), no temporary file is left in the output
//! directory, and, for SIGINT, none in TMPDIR and the exit status is 130.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use crate::util::{bin, reprint};

/// Delays before the signal, 5 ms to 400 ms.
const DELAYS_MS: [u64; 10] = [5, 10, 20, 40, 70, 100, 150, 200, 300, 400];

/// A generated corpus and a `score` input made from it, shared by the tests.
fn inputs() -> &'static (tempfile::TempDir, PathBuf, PathBuf) {
    static INPUTS: OnceLock<(tempfile::TempDir, PathBuf, PathBuf)> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let gen = dir.path().join("gen");
        reprint()
            .args(["gen", "--docs", "400", "-q", "--out"])
            .arg(&gen)
            .assert()
            .success();
        let corpus = gen.join("corpus.jsonl");
        let docs = crate::util::json_lines(&fs::read(&corpus).unwrap());
        let mut score = String::new();
        for w in docs.windows(2).take(300) {
            let row = serde_json::json!({"text_a": w[0]["text"], "text_b": w[1]["text"]});
            score.push_str(&row.to_string());
            score.push('\n');
        }
        let score_path = dir.path().join("score.jsonl");
        fs::write(&score_path, score).unwrap();
        (dir, corpus, score_path)
    })
}

/// The arguments of each command that writes, with `OUT` for the output path.
fn commands() -> Vec<(&'static str, Vec<String>)> {
    let (_, corpus, score) = inputs();
    let c = corpus.display().to_string();
    let s = score.display().to_string();
    let v = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        ("dedup", v(&["dedup", &c, "--out", "OUT"])),
        (
            "report",
            v(&[
                "report",
                "--mode",
                "near-dup",
                "--max-pairs",
                "5",
                &c,
                "--out",
                "OUT",
            ]),
        ),
        ("score", v(&["score", &s, "--out", "OUT"])),
        (
            "pairs",
            v(&[
                "pairs", "--mode", "near-dup", "--format", "jsonl", &c, "--out", "OUT",
            ]),
        ),
        ("gen", v(&["gen", "--docs", "400", "--out", "OUT"])),
    ]
}

fn run_args(args: &[String], out: &Path) -> Vec<String> {
    args.iter()
        .map(|a| {
            if a == "OUT" {
                out.display().to_string()
            } else {
                a.clone()
            }
        })
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().into_string().unwrap())
                .collect()
        })
        .unwrap_or_default();
    n.sort();
    n
}

fn signal(pid: u32, sig: &str) {
    let _ = Command::new("kill").args([sig, &pid.to_string()]).status();
}

#[test]
fn killed_and_interrupted_writes_leave_old_or_complete_output() {
    for (name, args) in commands() {
        let base = tempfile::tempdir().unwrap();
        // The complete output of an uninterrupted run.
        let ref_out = base.path().join("ref");
        let st = Command::new(bin())
            .env_clear()
            .arg("-q")
            .args(run_args(&args, &ref_out))
            .status()
            .unwrap();
        assert!(matches!(st.code(), Some(0 | 1)), "{name}: {st:?}");
        for (i, delay) in DELAYS_MS.iter().enumerate() {
            let sig = if i % 2 == 0 { "-KILL" } else { "-INT" };
            let dir = base.path().join(format!("run{i}"));
            let tmp = base.path().join(format!("tmp{i}"));
            fs::create_dir_all(&dir).unwrap();
            fs::create_dir_all(&tmp).unwrap();
            let out = if name == "gen" {
                dir.join("g")
            } else {
                dir.join("out")
            };
            if name != "gen" {
                fs::write(&out, "OLD\n").unwrap();
            }
            let mut child = Command::new(bin())
                .env_clear()
                .env("TMPDIR", &tmp)
                .arg("-q")
                .args(run_args(&args, &out))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(*delay));
            signal(child.id(), sig);
            let status = child.wait().unwrap();
            let what = format!("{name} {sig} after {delay} ms: {status:?}");
            match status.code() {
                Some(0 | 1) => {}
                Some(130) => assert_eq!(sig, "-INT", "{what}"),
                // SIGKILL; or SIGINT before the handler was installed (the first
                // instants of the process, before any file exists).
                None => {}
                Some(_) => panic!("{what}"),
            }
            if name == "gen" {
                // Each file present is complete; nothing else is there.
                for f in names(&out) {
                    assert!(
                        ["corpus.jsonl", "truth.jsonl", "manifest.json"].contains(&f.as_str()),
                        "{what}: stray {f}"
                    );
                    if f != "manifest.json" {
                        assert_eq!(
                            fs::read(out.join(&f)).unwrap(),
                            fs::read(ref_out.join(&f)).unwrap(),
                            "{what}: {f} incomplete"
                        );
                    }
                }
            } else {
                assert_eq!(names(&dir), ["out"], "{what}: stray files");
                let got = fs::read(&out).unwrap();
                let want = fs::read(&ref_out).unwrap();
                assert!(got == b"OLD\n" || got == want, "{what}: partial output");
            }
            if sig == "-INT" {
                assert!(
                    names(&tmp).is_empty(),
                    "{what}: {:?} in TMPDIR",
                    names(&tmp)
                );
            }
        }
    }
}

/// The input shrinks while `dedup` reads it (at several moments): the run either
/// finishes with a complete output, or fails with a clear error (exit 2) and writes
/// no output file.
#[test]
fn input_truncated_between_passes() {
    let (_, corpus, _) = inputs();
    let full = fs::read(corpus).unwrap();
    for delay in [0u64, 20, 60, 150] {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("c.jsonl");
        fs::write(&input, &full).unwrap();
        let out = dir.path().join("o.jsonl");
        let child = Command::new(bin())
            .env_clear()
            .args(["dedup", "--out"])
            .arg(&out)
            .arg(&input)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        fs::OpenOptions::new()
            .write(true)
            .open(&input)
            .unwrap()
            .set_len(full.len() as u64 / 3)
            .unwrap();
        let res = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&res.stderr);
        match res.status.code() {
            Some(0 | 1) => assert!(out.exists(), "{err}"),
            Some(2) => {
                assert!(!out.exists(), "an output file after an error: {err}");
                assert!(
                    err.contains("changed") || err.contains("shorter") || err.contains("malformed"),
                    "{err}"
                );
                assert!(!err.contains("writing"), "{err}");
            }
            c => panic!("{c:?}: {err}"),
        }
        assert_eq!(names(dir.path()).len(), 1 + out.exists() as usize);
    }
}

/// `--out` into a full file system (a 1 MiB tmpfs): a clear error, exit 2, no partial
/// file. Skipped with a note where mounting is not permitted.
#[test]
fn out_to_a_full_disk() {
    let (_, corpus, _) = inputs();
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("mnt");
    fs::create_dir(&mnt).unwrap();
    if !mount_tmpfs(&mnt, "1m") {
        return;
    }
    let out = mnt.join("o.jsonl");
    let res = reprint()
        .args(["dedup", "--mode", "near-dup", "--out"])
        .arg(&out)
        .arg(corpus)
        .output();
    let listing = names(&mnt);
    let _ = Command::new("umount").arg(&mnt).status();
    let res = res.unwrap();
    let err = String::from_utf8_lossy(&res.stderr);
    assert_eq!(res.status.code(), Some(2), "{err}");
    assert!(
        err.contains("No space left on device") && err.contains("o.jsonl"),
        "{err}"
    );
    assert!(listing.is_empty(), "{listing:?}");
}

/// `index add` and `index compact` into a full file system (a small tmpfs; for
/// `compact`, filled to the last byte): exit 2, a message naming the file, the last
/// commit intact (it verifies, with its documents) and no stray files left in the
/// index directory. Skipped with a note where mounting
/// is not permitted.
#[test]
fn index_writes_to_a_full_disk() {
    let (_, corpus, _) = inputs();
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("mnt");
    fs::create_dir(&mnt).unwrap();
    // The first 30 documents fit; the other 370 (about 1.4 MB) do not.
    let text = fs::read_to_string(corpus).unwrap();
    let first = dir.path().join("first.jsonl");
    let head: String = text.lines().take(30).map(|l| format!("{l}\n")).collect();
    fs::write(&first, head).unwrap();
    let second = dir.path().join("second.jsonl");
    let lines: String = text
        .lines()
        .skip(30)
        .take(10)
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&second, lines).unwrap();
    let rest = dir.path().join("rest.jsonl");
    let tail: String = text.lines().skip(40).map(|l| format!("{l}\n")).collect();
    fs::write(&rest, tail).unwrap();
    if !mount_tmpfs(&mnt, "384k") {
        return;
    }
    let ix = mnt.join("ix");
    let run = |args: &[&std::ffi::OsStr]| {
        Command::new(bin())
            .env_clear()
            .arg("-q")
            .args(args)
            .output()
            .unwrap()
    };
    let os = |s: &str| std::ffi::OsString::from(s);
    let check = || {
        let ok = run(&[&os("index"), &os("create"), ix.as_os_str()]);
        assert!(ok.status.success(), "{ok:?}");
        let ok = run(&[&os("index"), &os("add"), ix.as_os_str(), first.as_os_str()]);
        assert!(ok.status.success(), "{ok:?}");
        let before = names(&ix);
        let manifest = fs::read(ix.join("MANIFEST.json")).unwrap();
        let full = run(&[&os("index"), &os("add"), ix.as_os_str(), rest.as_os_str()]);
        let err = String::from_utf8_lossy(&full.stderr).into_owned();
        let after = names(&ix);
        let still = fs::read(ix.join("MANIFEST.json")).unwrap();
        let verify = run(&[&os("index"), &os("verify"), ix.as_os_str()]);
        let stats = run(&[
            &os("index"),
            &os("stats"),
            &os("--format"),
            &os("json"),
            ix.as_os_str(),
        ]);
        // Compact two segments on a disk filled to the last byte.
        let ok = run(&[&os("index"), &os("add"), ix.as_os_str(), second.as_os_str()]);
        assert!(ok.status.success(), "{ok:?}");
        let before2 = (names(&ix), fs::read(ix.join("MANIFEST.json")).unwrap());
        fill(&mnt.join("filler"));
        let compact = run(&[&os("index"), &os("compact"), ix.as_os_str()]);
        let after2 = (names(&ix), fs::read(ix.join("MANIFEST.json")).unwrap());
        let verify2 = run(&[&os("index"), &os("verify"), ix.as_os_str()]);
        (
            (
                full.status.code(),
                err,
                before,
                after,
                (manifest, still),
                verify,
                stats,
            ),
            (compact, before2, after2, verify2),
        )
    };
    let ((code, err, before, after, (manifest, still), verify, stats), compacted) = check();
    let _ = Command::new("umount").arg(&mnt).status();
    let (compact, before2, after2, verify2) = compacted;
    let cerr = String::from_utf8_lossy(&compact.stderr);
    assert_eq!(compact.status.code(), Some(2), "{cerr}");
    assert!(cerr.contains("No space left on device"), "{cerr}");
    assert_eq!(
        before2, after2,
        "compact on a full disk changed the index: {cerr}"
    );
    assert!(verify2.status.success(), "{verify2:?}");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("No space left on device") && err.contains(&ix.display().to_string()),
        "{err}"
    );
    assert_eq!(before, after, "stray files after the failed add: {err}");
    assert_eq!(manifest, still, "the commit changed");
    assert!(verify.status.success(), "{verify:?}");
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["documents"], 30, "{stats}");
}

/// Mounts a tmpfs of `size` at `mnt`; false (with a note: the test is skipped) where
/// mounting is not permitted.
fn mount_tmpfs(mnt: &Path, size: &str) -> bool {
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(mnt)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("note: cannot mount a tmpfs here; full-disk test skipped");
    }
    mounted
}

/// Writes zeros to `path` until the file system is full.
fn fill(path: &Path) {
    use std::io::Write;
    let mut f = fs::File::create(path).unwrap();
    let block = vec![0u8; 4096];
    while f.write_all(&block).is_ok() {}
    // The last partial block, byte by byte.
    while f.write_all(&[0]).is_ok() {}
    let _ = f.sync_all();
}
