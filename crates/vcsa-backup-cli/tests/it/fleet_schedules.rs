//! `fleet schedule apply` over fifty simulated appliances in two groups: converge, check, drift
//! on three, check names them, apply changes exactly those three.

use serde_json::Value;
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};

use crate::support::{FLEET_PASSWORD_ENV, FleetSims, Run, bare_command};

const APPLIANCES: usize = 50;

/// The inventory: every appliance in group `east` or `west`, each group with its schedule.
fn inventory(fleet: &FleetSims) -> String {
    let mut text = format!(
        "[defaults]\nuser = \"{DEFAULT_USER}\"\npassword_env = \"{FLEET_PASSWORD_ENV}\"\n\n\
         [groups.east.schedule]\nlocation = \"sftp://nas.example.com/east\"\n\
         location_user = \"backup\"\nlocation_password_file = \"nas.pw\"\n\
         at = \"23:00\"\nkeep = 7\n\n\
         [groups.west.schedule]\nlocation = \"nfs://filer.example.com:/west\"\n\
         at = \"01:30\"\ndays = \"mon-fri\"\nkeep = 14\nparts = [\"seat\"]\n"
    );
    let half = fleet.sims.len() / 2;
    for (i, a) in fleet.sims.appliances().iter().enumerate() {
        let group = if i < half { "east" } else { "west" };
        text.push_str(&format!(
            "\n[[appliance]]\nname = \"{}\"\nserver = \"{}\"\ngroup = \"{group}\"\n",
            a.name(),
            a.url()
        ));
    }
    text
}

/// The single-appliance command against `name`.
fn on(fleet: &FleetSims, name: &str, args: &[&str]) -> Run {
    let url = fleet
        .sims
        .get(name)
        .expect("an appliance of the fleet")
        .url();
    Run::of(
        bare_command()
            .env("VCSA_SERVER", url)
            .env("VCSA_PASSWORD", DEFAULT_PASSWORD)
            .args(args),
    )
}

/// Each appliance's row of a JSON run: (name, action, applied).
fn rows(run: &Run) -> Vec<(String, String, bool)> {
    let doc: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}:\n{run}"));
    doc["appliances"]
        .as_array()
        .unwrap_or_else(|| panic!("no appliances:\n{run}"))
        .iter()
        .map(|r| {
            let result = &r["result"];
            (
                r["name"].as_str().unwrap_or_default().to_string(),
                result["action"].as_str().unwrap_or("error").to_string(),
                result["applied"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

fn names_where(rows: &[(String, String, bool)], keep: impl Fn(&str, bool) -> bool) -> Vec<&str> {
    rows.iter()
        .filter(|(_, action, applied)| keep(action, *applied))
        .map(|(name, _, _)| name.as_str())
        .collect()
}

#[test]
fn a_fleet_converges_then_a_drift_on_three_is_found_and_only_they_change() {
    let fleet = FleetSims::start(
        Simulator::fleet(APPLIANCES).template(Simulator::builder().tls(false)),
        "",
    );
    let folder = fleet.inventory.parent().expect("the inventory's folder");
    std::fs::write(folder.join("nas.pw"), "Nas-Pa55word!\n").expect("the NAS password file");
    std::fs::write(&fleet.inventory, inventory(&fleet)).expect("the inventory");
    // Every fifth appliance starts with no schedule at all.
    let bare: Vec<String> = (0..APPLIANCES)
        .step_by(5)
        .map(|i| format!("vcsa-{:03}", i + 1))
        .collect();
    for name in &bare {
        let deleted = on(&fleet, name, &["schedule", "delete", "default", "--yes"]);
        assert_eq!(deleted.code, 0, "{deleted}");
    }
    let apply = |extra: &[&str]| {
        let mut args = vec![
            "--output", "json", "fleet", "schedule", "apply", "--jobs", "16",
        ];
        args.extend(extra);
        fleet.run(&args)
    };

    // West's NFS location has no user: an update cannot remove the one the appliances have.
    let refused = apply(&["--only", "west", "--dry-run"]);
    assert_eq!(refused.code, 2, "{refused}");
    let planned = rows(&refused);
    let blocked = names_where(&planned, |a, _| a == "blocked");
    assert_eq!(blocked.len(), APPLIANCES / 2 - 5, "{refused}");
    let started = std::time::Instant::now();
    let first = apply(&["--recreate"]);
    // Measured, not asserted: a test never depends on the machine's speed.
    eprintln!("fifty appliances converged in {:?}", started.elapsed());
    assert_eq!(first.code, 0, "{first}");
    let found = rows(&first);
    assert_eq!(found.len(), APPLIANCES, "{first}");
    assert_eq!(
        names_where(&found, |a, applied| a == "create" && applied),
        bare,
        "{first}"
    );
    let (east, west) = found.split_at(APPLIANCES / 2);
    for (name, action, applied) in east.iter().chain(west) {
        let expected = match (bare.contains(name), east.iter().any(|(n, _, _)| n == name)) {
            (true, _) => "create",
            (false, true) => "update",
            (false, false) => "recreate",
        };
        assert!(action == expected && *applied, "{name}: {action}\n{first}");
    }
    // The password was sent to the new schedules, and with the new user to the others.
    let secret = fleet.control("vcsa-001").schedule_passwords("default");
    let sent = secret
        .and_then(|p| p.location_password)
        .map(|p| p.expose().to_string());
    assert_eq!(sent.as_deref(), Some("Nas-Pa55word!"));

    let started = std::time::Instant::now();
    let check = apply(&["--check"]);
    eprintln!("fifty appliances checked in {:?}", started.elapsed());
    assert_eq!(check.code, 0, "{check}");
    assert!(
        rows(&check)
            .iter()
            .all(|(_, action, applied)| action == "unchanged" && !applied)
    );

    // A drift on three appliances, one of each group and one more, made by hand.
    let drifted = ["vcsa-007", "vcsa-026", "vcsa-049"];
    for name in drifted {
        let changed = on(
            &fleet,
            name,
            &["schedule", "update", "default", "--keep", "3"],
        );
        assert_eq!(changed.code, 0, "{changed}");
    }
    let check = apply(&["--check"]);
    assert_eq!(check.code, 1, "{check}");
    assert_eq!(
        names_where(&rows(&check), |a, _| a != "unchanged"),
        drifted,
        "{check}"
    );
    assert!(
        check.stderr.contains(
            "3 of 50 appliance(s) differ from the inventory: vcsa-007, vcsa-026, vcsa-049"
        ),
        "{check}"
    );

    let again = apply(&[]);
    assert_eq!(again.code, 0, "{again}");
    assert_eq!(
        names_where(&rows(&again), |_, applied| applied),
        drifted,
        "{again}"
    );
    let last = apply(&["--check"]);
    assert_eq!(last.code, 0, "{last}");
}

#[test]
fn the_table_says_what_differs_and_only_picks_a_group() {
    let fleet = FleetSims::start(
        Simulator::fleet(4).template(Simulator::builder().tls(false)),
        "",
    );
    let folder = fleet.inventory.parent().expect("the inventory's folder");
    std::fs::write(folder.join("nas.pw"), "Nas-Pa55word!\n").expect("the NAS password file");
    std::fs::write(&fleet.inventory, inventory(&fleet)).expect("the inventory");

    let run = fleet.run(&["fleet", "schedule", "apply", "--only", "east", "--dry-run"]);
    assert_eq!(run.code, 0, "{run}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("APPLIANCE") && lines[0].contains("WHAT DIFFERS"),
        "{run}"
    );
    assert_eq!(lines.len(), 3, "the two appliances of east only:\n{run}");
    for line in &lines[1..] {
        assert!(
            line.contains(" east ") && line.contains("would update"),
            "{run}"
        );
        assert!(line.contains("backup location: sftp://"), "{run}");
        assert!(line.chars().count() <= 80, "{run}");
    }
    // The dry run changed nothing; west cannot be reached by an update, which --check says.
    let check = fleet.run(&[
        "fleet",
        "schedule",
        "apply",
        "--only",
        "vcsa-00[14]",
        "--check",
    ]);
    assert_eq!(check.code, 1, "{check}");
    assert!(
        check.stdout.contains("would update") && check.stdout.contains("blocked"),
        "{check}"
    );
    assert!(
        check
            .stderr
            .contains("2 of 2 appliance(s) differ from the inventory: vcsa-001, vcsa-004"),
        "{check}"
    );
    // Applied, the update is refused on its appliance, with the way out.
    let refused = fleet.run(&["fleet", "schedule", "apply", "--only", "vcsa-004"]);
    assert_eq!(refused.code, 2, "{refused}");
    assert!(
        refused.stdout.contains("vcsa-004") && refused.stdout.contains("error"),
        "{refused}"
    );
    assert!(refused.stderr.contains("pass --recreate"), "{refused}");
}
