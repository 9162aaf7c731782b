//! `mint` guards: output directories other users can write, wildcards over a whole TLD or
//! public suffix, and an issuing intermediate given without its root.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use chainscope_tests::mint::{chainscope, chainscope_ok, listing, openssl_ok, ScratchDir};

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_world_writable_output_directory_warns_and_is_refused_for_ca_keys() {
    let dir = ScratchDir::new("open-out");
    let open = dir.path().join("open");
    std::fs::create_dir(&open).unwrap();
    chmod(&open, 0o777);

    // A CA key: refused, for the directory itself and for a directory below it.
    for out in ["open", "open/sub/ca"] {
        let run = chainscope(&["mint", "ca", "--name", "Root", "--out", &dir.join(out)]);
        assert_eq!(run.code, 2, "{out}: {}", run.out);
        assert!(
            run.err.contains("other users can write")
                && run.err.contains(&open.display().to_string())
                && run.err.contains("0777"),
            "{out}: {}",
            run.err
        );
    }
    assert_eq!(listing(&open), Vec::<String>::new());

    // --force writes it anyway, with the warning.
    let run = chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Root",
        "--force",
        "--out",
        &dir.join("open/ca"),
    ]);
    assert!(
        run.err.contains("warning:") && run.err.contains("0777"),
        "{}",
        run.err
    );

    // A leaf: written, with the warning.
    let run = chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &dir.join("open/ca"),
        "--dns",
        "proxy.hospital.test",
        "--out",
        &dir.join("open/proxy"),
    ]);
    assert!(
        run.err.contains("can be written by other users"),
        "{}",
        run.err
    );

    // With the sticky bit (as /tmp has) others cannot replace what they do not own.
    chmod(&open, 0o1777);
    let run = chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Root",
        "--out",
        &dir.join("open/ca2"),
    ]);
    assert!(!run.err.contains("warning"), "{}", run.err);
    // Group-writable is the operator's choice: no warning.
    chmod(&open, 0o775);
    let run = chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Root",
        "--out",
        &dir.join("open/ca3"),
    ]);
    assert!(!run.err.contains("warning"), "{}", run.err);
}

#[test]
fn wildcards_over_a_whole_tld_or_public_suffix_are_refused() {
    let dir = ScratchDir::new("wild");
    for (name, why) in [
        ("*", "bare wildcard"),
        ("*.", "bare wildcard"),
        ("*.com", "whole top-level domain"),
        ("*.internal", "whole top-level domain"),
        ("*.co.uk", "public suffix co.uk"),
        ("*.github.io", "public suffix of its operator"),
    ] {
        let out = dir.join("out");
        let run = chainscope(&["mint", "self-signed", "--dns", name, "--out", &out]);
        assert_eq!(run.code, 2, "{name} was minted");
        assert!(
            run.err.starts_with("chainscope: ") && run.err.contains(why),
            "{name}: {}",
            run.err
        );
        assert!(!Path::new(&out).exists(), "{name}");
    }
    // Below a registrable domain, and over a private suffix its operator also names.
    for names in [
        &["*.example.co.uk"][..],
        &["*.hospital.test"],
        &["*.github.io", "github.io"],
    ] {
        let out = dir.join(&format!("ok-{}", names.len()));
        let mut args = vec!["mint", "self-signed", "--out", &out, "--force"];
        for n in names {
            args.extend(["--dns", n]);
        }
        chainscope_ok(&args);
    }
}

#[test]
fn a_refused_name_says_which_flags_give_names() {
    let dir = ScratchDir::new("bad-names");
    let out = dir.join("out");
    // A certificate's name: the flags that give names.
    for args in [
        &["--dns", "bad name.test"][..],
        &["--dns", "*.com"],
        &["--email", "nobody"],
    ] {
        let mut argv = vec!["mint", "self-signed", "--out", &out];
        argv.extend_from_slice(args);
        let run = chainscope(&argv);
        assert_eq!(run.code, 2, "{args:?} was minted");
        assert!(
            run.err
                .trim_end()
                .ends_with("(--dns, --ip, --email or --uri)"),
            "{args:?}: {}",
            run.err
        );
    }
    // A CA's name constraint: the constraint flags.
    let run = chainscope(&[
        "mint",
        "ca",
        "--name",
        "Root",
        "--permit-dns",
        "*.hospital.test",
        "--out",
        &out,
    ]);
    assert_eq!(run.code, 2, "{}", run.out);
    assert!(
        run.err.contains("cannot hold a wildcard")
            && run
                .err
                .trim_end()
                .ends_with("(--permit-dns, --permit-ip, --exclude-dns or --exclude-ip)"),
        "{}",
        run.err
    );
    assert!(!Path::new(&out).exists());
}

#[test]
fn an_intermediate_given_without_its_root_signs_with_a_chain_that_stops_at_it() {
    let dir = ScratchDir::new("inter-alone");
    chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Hidden Root",
        "--out",
        &dir.join("root"),
    ]);
    chainscope_ok(&[
        "mint",
        "intermediate",
        "--ca",
        &dir.join("root"),
        "--name",
        "Issuing CA",
        "--out",
        &dir.join("inter"),
    ]);
    // Only the intermediate's own certificate and key: no root anywhere.
    let run = chainscope_ok(&[
        "mint",
        "leaf",
        "--ca-cert",
        &dir.join("inter/cert.pem"),
        "--ca-key",
        &dir.join("inter/key.pem"),
        "--dns",
        "proxy.hospital.test",
        "--out",
        &dir.join("leaf"),
    ]);
    assert!(
        run.err.contains("warning:")
            && run
                .err
                .contains("root above \"CN=Issuing CA\" is not known")
            && run.err.contains("no ca.pem"),
        "{}",
        run.err
    );
    assert_eq!(
        listing(&dir.path().join("leaf")),
        ["cert.pem", "chain.pem", "fullchain.pem", "key.pem"]
    );
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap();
    assert_eq!(read("leaf/chain.pem"), read("inter/cert.pem"));
    assert_eq!(
        read("leaf/fullchain.pem"),
        format!("{}{}", read("leaf/cert.pem"), read("inter/cert.pem"))
    );
    // With the root, the chain verifies; the next steps do not name a missing ca.pem.
    openssl_ok(&[
        "verify",
        "-CAfile",
        &dir.join("root/cert.pem"),
        "-untrusted",
        &dir.join("leaf/chain.pem"),
        &dir.join("leaf/cert.pem"),
    ]);
    assert!(!run.out.contains("leaf/ca.pem"), "{}", run.out);
    assert!(run.out.contains("ROOT-CA.pem"), "{}", run.out);
}
