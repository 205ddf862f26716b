//! `--help` of the tool and of every subcommand, as users read it.

use crate::support;

use support::{Run, bare_command};

fn help(args: &[&str]) -> String {
    let run = Run::of(bare_command().args(args).arg("--help"));
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stderr, "");
    run.stdout
}

#[test]
fn every_subcommand_has_complete_help() {
    let commands: &[&[&str]] = &[
        &[],
        &["backup"],
        &["status"],
        &["list"],
        &["cancel"],
        &["schedule"],
        &["schedule", "list"],
        &["schedule", "show"],
        &["schedule", "create"],
        &["schedule", "update"],
        &["schedule", "delete"],
        &["schedule", "apply"],
        &["schedule", "run"],
        &["archives"],
        &["archives", "list"],
        &["archives", "show"],
        &["parts"],
        &["validate"],
        &["check"],
        &["fleet"],
        &["fleet", "backup"],
        &["fleet", "check"],
        &["fleet", "list"],
        &["demo"],
        &["completions"],
        &["trust"],
    ];
    for args in commands {
        let text = help(args);
        let name = if args.is_empty() {
            "help".to_string()
        } else {
            format!("help_{}", args.join("_"))
        };
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn the_help_documents_every_exit_code() {
    let text = help(&[]);
    for code in ["0", "1", "2", "3", "4", "5", "6", "7", "130"] {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&format!("{code} "))),
            "exit code {code} is not documented"
        );
    }
}

#[test]
fn completions_cover_the_subcommands() {
    let run = Run::of(bare_command().args(["completions", "bash"]));
    assert_eq!(run.code, 0, "{run}");
    for word in [
        "backup",
        "status",
        "schedule",
        "archives",
        "--dry-run",
        "--when-idle",
        "--thumbprint",
    ] {
        assert!(run.stdout.contains(word), "{word} is not completed");
    }
}
