//! Shell integration: completion scripts and the man page cover every subcommand, and every
//! subcommand's `--help` ends with real examples (they parse) and the exit codes.

use clap::{CommandFactory, Parser};

use chainscope_cli::Cli;

fn run(args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut argv = vec!["chainscope"];
    argv.extend_from_slice(args);
    let code = chainscope_cli::run_with(argv, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).expect("utf-8 stdout"),
        String::from_utf8(err).expect("utf-8 stderr"),
    )
}

/// Every visible subcommand, at every level, as its path below `chainscope`
/// (`["mint", "ca"]`), read from the command definition itself: a new subcommand is
/// covered without touching this test.
fn subcommand_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            if sub.get_name() == "help" {
                continue;
            }
            let mut path = prefix.to_vec();
            path.push(sub.get_name().to_owned());
            out.push(path.clone());
            walk(sub, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), &[], &mut out);
    out
}

#[test]
fn the_command_tree_has_the_documented_subcommands() {
    let paths: Vec<String> = subcommand_paths().iter().map(|p| p.join(" ")).collect();
    for expected in [
        "show",
        "verify",
        "fetch",
        "mint",
        "mint ca",
        "mint intermediate",
        "mint leaf",
        "mint self-signed",
        "mint sign",
        "preflight",
        "check",
        "exporter",
        "completions",
        "man",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} missing from {paths:?}"
        );
    }
}

/// How each shell's script names a subcommand at `path` (`["mint", "ca"]`): the form its
/// generator writes for that command's own completion context, so that a short name such
/// as `ca` or `man` cannot be found by chance in some other word.
fn shell_forms(shell: &str, path: &[String]) -> Vec<String> {
    let name = path.last().unwrap();
    let parents = &path[..path.len() - 1];
    match shell {
        // `chainscope__subcmd__mint,ca)`: the case arm that moves into the subcommand.
        "bash" => {
            let mut parent = String::from("chainscope");
            for p in parents {
                parent.push_str("__subcmd__");
                parent.push_str(p);
            }
            vec![format!("{parent},{name})")]
        }
        // `'ca:Mint a self-signed root CA…'` in the list, `(ca)` as the case arm.
        "zsh" => vec![format!("'{name}:"), format!("({name})")],
        // `-f -a "ca"` under the parent's condition.
        "fish" => {
            let condition = match parents.last() {
                None => "__fish_chainscope_needs_command".to_owned(),
                Some(_) => format!("__fish_chainscope_using_subcommand {}", parents.join(" ")),
            };
            vec![format!("-n \"{condition}"), format!("-f -a \"{name}\"")]
        }
        // `'chainscope;mint;ca' {` / `&'chainscope;mint;ca'= {`: the command's own context.
        "powershell" => vec![format!("'chainscope;{}' {{", path.join(";"))],
        "elvish" => vec![format!("&'chainscope;{}'= {{", path.join(";"))],
        other => panic!("no forms for {other}"),
    }
}

#[test]
fn completions_for_every_shell_mention_every_subcommand() {
    let paths = subcommand_paths();
    assert!(paths.len() >= 14, "{paths:?}");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        for path in &paths {
            for form in shell_forms(shell, path) {
                if shell == "fish" && form.starts_with("-n ") {
                    // The parent's condition, on the same line as the name.
                    let name = format!("-f -a \"{}\"", path.last().unwrap());
                    assert!(
                        out.lines().any(|l| l.contains(&form) && l.contains(&name)),
                        "fish completions do not offer {path:?} under {form}"
                    );
                    continue;
                }
                assert!(
                    out.contains(&form),
                    "{shell} completions lack `{form}` for {path:?}"
                );
            }
        }
        // Flags are completed too.
        assert!(
            out.contains("not-before") && out.contains("permit-dns"),
            "{shell}"
        );
    }
    let (code, _, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
}

#[test]
fn man_page_covers_every_subcommand() {
    let (code, page, err) = run(&["man"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        page.contains(".TH chainscope 1"),
        "{}",
        &page[..200.min(page.len())]
    );
    for path in subcommand_paths() {
        let heading = format!(".SH \"CHAINSCOPE {}\"", path.join(" ").to_uppercase());
        assert!(page.contains(&heading), "man page lacks {heading}");
    }
    // Every subcommand's examples and exit codes are in it.
    assert_eq!(
        page.matches(".SS \"EXAMPLES AND EXIT CODES\"").count(),
        subcommand_paths().len(),
    );

    // One page per command for packagers.
    let dir = std::env::temp_dir().join(format!("chainscope-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (code, _, err) = run(&["man", "--dir", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    for path in subcommand_paths() {
        let file = dir.join(format!("chainscope-{}.1", path.join("-")));
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(
            text.starts_with(".ie") || text.contains(".TH"),
            "{}",
            file.display()
        );
    }
    assert!(dir.join("chainscope.1").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Splits one command line as a POSIX shell would for the simple cases the examples use:
/// words, double quotes, and the part before `|`, `>` or `<` that runs `chainscope`.
fn chainscope_words(line: &str) -> Option<Vec<String>> {
    let segment = line
        .split(" | ")
        .find(|s| s.trim_start().starts_with("chainscope "))?;
    let segment = segment.split(['>', '<']).next()?;
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut in_word = false;
    for c in segment.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

#[test]
fn every_subcommand_help_ends_with_examples_that_parse_and_the_exit_codes() {
    for path in subcommand_paths() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let (code, help, _) = run(&args);
        assert_eq!(code, 0, "{path:?}");
        let (_, tail) = help
            .split_once("\nExamples:\n")
            .unwrap_or_else(|| panic!("{path:?} --help has no Examples:\n{help}"));
        let (examples, codes) = tail
            .split_once("\n\nExit codes:\n")
            .unwrap_or_else(|| panic!("{path:?} --help has no Exit codes after the examples"));
        // The exit codes end the help: `  N  meaning` lines (continuations indented).
        let code_lines: Vec<&str> = codes.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(!code_lines.is_empty(), "{path:?}");
        for line in &code_lines {
            let t = line.trim_start();
            assert!(
                t.starts_with(|c: char| c.is_ascii_digit()) || line.starts_with("     "),
                "{path:?}: not an exit-code line: {line:?}"
            );
        }
        assert!(code_lines[0].trim_start().starts_with('0'), "{path:?}");
        // Two or three examples; continuation lines (ending in `\`) are joined.
        let joined = examples.replace("\\\n", " ");
        let commands: Vec<&str> = joined
            .lines()
            .filter(|l| l.contains("chainscope "))
            .collect();
        assert!(
            (2..=3).contains(&commands.len()),
            "{path:?}: {} examples:\n{examples}",
            commands.len()
        );
        for command in commands {
            let words = chainscope_words(command)
                .unwrap_or_else(|| panic!("{path:?}: no chainscope command in {command:?}"));
            assert_eq!(
                &words[1..=path.len()],
                &path[..],
                "{path:?}: the example runs another subcommand: {command:?}"
            );
            if let Err(e) = Cli::try_parse_from(&words) {
                panic!("{path:?}: example does not parse: {command:?}\n{e}");
            }
        }
    }
}
