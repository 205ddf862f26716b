//! Starts whose answer is lost: `backup --wait`, `backup --when-idle --wait` and `schedule run
//! --wait` follow the job the appliance started; an outcome the appliance's jobs cannot settle
//! exits 8, never 6 (which tells scripts to try again).

use crate::support::Sim;

use std::time::Duration;

use vcsa_backup_sim::{LostAnswer, LostOperation};

const SHORT: Duration = Duration::from_secs(2);

#[test]
fn backup_wait_follows_the_job_whose_answer_was_lost_in_both_flavours() {
    let cases = [
        ("api", LostAnswer::Dropped, &["--wait"][..]),
        ("rest", LostAnswer::BadGateway, &["--wait"][..]),
        (
            "api",
            LostAnswer::GatewayTimeout,
            &["--when-idle", "--wait"][..],
        ),
        (
            "rest",
            LostAnswer::ServiceUnavailable,
            &["--when-idle", "--wait"][..],
        ),
    ];
    for (flavour, lost, wait) in cases {
        let sim = Sim::http(SHORT);
        sim.control()
            .lose_answers(LostOperation::StartBackup, lost, 1);
        let mut args = vec![
            "--flavour",
            flavour,
            "-o",
            "json",
            "backup",
            "--location",
            "sftp://backup.example.com/vcsa/today",
        ];
        args.extend_from_slice(wait);
        let run = sim.run(&args);
        assert_eq!(run.code, 0, "{flavour} {lost:?} {wait:?}: {run}");
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(doc["state"], "SUCCEEDED", "{run}");
        assert_eq!(sim.control().job_ids(), [doc["id"].as_str().unwrap()]);
    }
}

#[test]
fn schedule_run_wait_follows_its_run_and_two_candidates_exit_8() {
    for flavour in ["api", "rest"] {
        let sim = Sim::http(SHORT);
        sim.control()
            .lose_answers(LostOperation::RunSchedule, LostAnswer::Dropped, 1);
        let run = sim.run(&["--flavour", flavour, "schedule", "run", "default", "--wait"]);
        assert_eq!(run.code, 0, "{flavour}: {run}");
        assert_eq!(sim.control().job_ids().len(), 1);

        // The run just ended is a second job that could be the next run's.
        sim.control()
            .lose_answers(LostOperation::RunSchedule, LostAnswer::GatewayTimeout, 1);
        let run = sim.run(&[
            "--flavour",
            flavour,
            "-o",
            "json",
            "schedule",
            "run",
            "default",
        ]);
        assert_eq!(run.code, 8, "{flavour}: {run}");
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(doc["error"]["kind"], "outcome_unknown", "{run}");
        assert!(
            doc["error"]["hint"]
                .as_str()
                .unwrap()
                .contains("vcsa-backup list"),
            "{run}"
        );
        assert_eq!(sim.control().job_ids().len(), 2, "not sent again");
    }
}

#[test]
fn a_cancel_whose_answer_was_lost_exits_8_and_says_to_check_first() {
    let sim = Sim::http(Duration::from_secs(3600));
    let args = [
        "-o",
        "json",
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/today",
    ];
    let started = sim.run(&args);
    assert_eq!(started.code, 0, "{started}");
    let doc: serde_json::Value = serde_json::from_str(&started.stdout).unwrap();
    let job = doc["id"].as_str().unwrap().to_string();
    sim.control()
        .lose_answers(LostOperation::CancelJob, LostAnswer::BadGateway, 1);

    let run = sim.run(&["-o", "json", "cancel", &job]);

    assert_eq!(run.code, 8, "{run}");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["error"]["kind"], "outcome_unknown", "{run}");
    let hint = doc["error"]["hint"].as_str().unwrap();
    assert!(
        hint.contains("check whether it did \"cancel a job\""),
        "{run}"
    );
}
