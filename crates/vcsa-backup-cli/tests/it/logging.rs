//! `-v`, `-vv`, `-vvv`: what the command logs on standard error, and never a password.

use crate::support;

use std::time::Duration;

use support::{Run, Sim};
use vcsa_backup_sim::{ArchiveSeed, DEFAULT_PASSWORD};

const LOCATION: &str = "sftp://backup.example.com/vcsa";
const SFTP_PASSWORD: &str = "Sftp-Query-Pa55";

/// The request lines of a run's standard error.
fn requests(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.contains(" vcsa_backup::http: request "))
        .collect()
}

/// The catalog in `/rest`, where the backup server's password travels in the URL. Without
/// `NO_COLOR`: standard error being a pipe must be enough to keep colour codes out.
fn archives_list(sim: &Sim, verbosity: &str) -> Run {
    Run::of(
        sim.command()
            .env_remove("NO_COLOR")
            .env("VCSA_LOCATION_PASSWORD", SFTP_PASSWORD)
            .args([verbosity, "--flavour", "rest", "archives", "list"])
            .args(["--location", LOCATION, "--location-user", "backup"]),
    )
}

#[test]
fn double_v_logs_each_request_and_no_password() {
    let sim = Sim::http(Duration::from_secs(5));
    sim.control()
        .seed_archive(ArchiveSeed {
            location: LOCATION.into(),
            system_name: "vcsa-01.example.com".into(),
            timestamp: "2026-05-01T02:30:00Z".parse().unwrap(),
            ..ArchiveSeed::default()
        })
        .unwrap();

    let run = archives_list(&sim, "-vv");
    assert_eq!(run.code, 0, "{run}");
    let lines = requests(&run);
    for operation in ["login", "list_system_names", "list_archives"] {
        let wanted = format!("operation=\"{operation}\" flavour=\"rest\" status=200 duration_ms=");
        assert!(
            lines
                .iter()
                .any(|l| l.contains("DEBUG") && l.contains(&wanted)),
            "no {wanted} in:\n{}",
            run.stderr
        );
    }
    for secret in [SFTP_PASSWORD, DEFAULT_PASSWORD] {
        assert!(!run.stderr.contains(secret), "{secret} in:\n{}", run.stderr);
        assert!(!run.stdout.contains(secret), "{secret} in:\n{}", run.stdout);
    }
    assert!(
        !run.stderr.contains("system-name?"),
        "a URL in:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains('\u{1b}'),
        "colour codes in a pipe:\n{}",
        run.stderr
    );

    // -v: the steps, not the requests; nothing without -v.
    let run = archives_list(&sim, "-v");
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(requests(&run), Vec::<&str>::new(), "{run}");
    let run = Run::of(
        sim.command()
            .env("VCSA_LOCATION_PASSWORD", SFTP_PASSWORD)
            .args(["--flavour", "rest", "archives", "list"])
            .args(["--location", LOCATION, "--location-user", "backup"]),
    );
    assert_eq!(run.code, 0, "{run}");
    assert!(
        !run.stderr.contains("INFO") && !run.stderr.contains("DEBUG"),
        "{run}"
    );
}
