//! The ring application runs: chainscope fetches with the application's ring provider,
//! installs none of its own and turns on no second provider in rustls, so the application's
//! own `ClientConfig::builder()` finds ring as the default — with or without installing it.
//! Run on its own: `cargo test -p chainscope-ring-app` (a whole-workspace build unifies the
//! CLI's default features, aws-lc-rs among them, into this one; the app then exits 1 and
//! says so).

use std::process::Command;

fn app(mode: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chainscope-ring-app"))
        .arg(mode)
        .output()
        .expect("run the ring app");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn builder_without_installing_a_default_finds_ring_alone() {
    let (code, out, err) = app("builder");
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "ok");
}

#[test]
fn installing_ring_explicitly_works_too() {
    let (code, out, err) = app("install");
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "ok");
}

/// No code of the workspace takes the process-wide provider (`builder()`,
/// `get_default`) or installs one: with ring and aws-lc-rs both compiled in (as here), that
/// would panic or change the application's choice.
#[test]
fn no_workspace_code_relies_on_the_process_default_provider() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut offenders = Vec::new();
    let mut stack: Vec<std::path::PathBuf> = ["lib", "cli", "tests"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    stack.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                let bad = ["ClientConfig::builder()", "ServerConfig::builder()"]
                    .iter()
                    .any(|p| line.contains(p))
                    || line.contains("install_default(")
                    || (line.contains("CryptoProvider::get_default")
                        && !line.contains("get_default().is_none()"));
                if bad {
                    offenders.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}
