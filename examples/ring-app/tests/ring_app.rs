//! The ring application runs: chainscope fetches with the application's ring provider and
//! installs none of its own; the application's `ClientConfig::builder()` works once it has
//! installed its provider, and — with two providers compiled in — panics without one,
//! which is why chainscope never relies on a process default.

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
fn the_ring_application_fetches_with_its_provider_and_builds_its_own_client() {
    let (code, out, err) = app("install");
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "ok");
}

#[test]
fn without_a_default_of_its_own_builder_panics_after_chainscope_worked() {
    // chainscope's captures succeeded before the panic: it needs no default.
    let (code, out, err) = app("no-install");
    assert_ne!(code, 0, "{out}{err}");
    assert!(
        err.contains("Could not automatically determine the process-level CryptoProvider"),
        "expected rustls' panic for two compiled-in providers: {err}"
    );
    assert!(
        !err.contains("ring-app: "),
        "chainscope failed first: {err}"
    );
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
