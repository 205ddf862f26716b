//! `man`: the manual pages, printed one at a time or written into a folder for packages.

use crate::support::{Run, bare_command};

#[test]
fn out_writes_a_page_for_the_command_and_each_subcommand_with_the_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let run = Run::of(bare_command().args(["man", "--out"]).arg(&out));
    assert_eq!(run.code, 0, "{run}");

    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    // The command prints what it wrote, one path a line.
    assert_eq!(run.stdout.lines().count(), written.len(), "{run}");
    for page in [
        "vcsa-backup.1",
        "vcsa-backup-backup.1",
        "vcsa-backup-schedule.1",
        "vcsa-backup-schedule-create.1",
        "vcsa-backup-fleet-check.1",
        "vcsa-backup-man.1",
    ] {
        assert!(
            written.iter().any(|w| w == page),
            "no {page} in {written:?}"
        );
    }
    assert!(!written.iter().any(|w| w.contains("help")), "{written:?}");
    for name in &written {
        let page = std::fs::read_to_string(out.join(name)).unwrap();
        let title = name.trim_end_matches(".1");
        assert!(page.contains(&format!(".TH {title} 1")), "{name}:\n{page}");
        assert!(page.contains(".SH \"EXIT STATUS\""), "{name}:\n{page}");
        assert!(page.contains("130 interrupted"), "{name}:\n{page}");
    }
}

#[test]
fn the_main_page_and_the_fleet_pages_describe_the_inventory() {
    let main = Run::of(bare_command().arg("man"));
    assert_eq!(main.code, 0, "{main}");
    assert!(main.stdout.contains(".TH vcsa-backup 1"), "{main}");
    assert!(main.stdout.contains(".SH \"FLEET INVENTORY\""), "{main}");
    assert!(main.stdout.contains("[[appliance]]"), "{main}");

    let fleet = Run::of(bare_command().args(["man", "fleet", "backup"]));
    assert_eq!(fleet.code, 0, "{fleet}");
    assert!(
        fleet.stdout.contains(".TH vcsa-backup-fleet-backup 1"),
        "{fleet}"
    );
    assert!(fleet.stdout.contains("[[appliance]]"), "{fleet}");

    let backup = Run::of(bare_command().args(["man", "backup"]));
    assert_eq!(backup.code, 0, "{backup}");
    assert!(!backup.stdout.contains("FLEET INVENTORY"), "{backup}");
    // The examples after `--help` keep their lines (no-fill), under NOTES.
    assert!(backup.stdout.contains(".SH NOTES\n.nf\n"), "{backup}");
}
