use super::*;

fn spec() -> ScheduleSpec {
    ScheduleSpec {
        location: "sftp://backup.example.com/vcsa".into(),
        ..ScheduleSpec::default()
    }
}

fn texts(err: VapiError) -> Vec<String> {
    err.messages
        .into_iter()
        .map(|m| m.default_message)
        .collect()
}

#[test]
fn every_problem_is_named_at_once() {
    let bad = ScheduleSpec {
        location: "gopher://h/p".into(),
        parts: Some(vec!["logs".into()]),
        backup_password: Some(Secret::new("weak")),
        recurrence_info: Some(RecurrenceInfo {
            minute: 60,
            hour: 24,
            days: Some(vec!["FUNDAY".into(), "MONDAY".into()]),
        }),
        retention_info: Some(RetentionInfo { max_count: 0 }),
        ..spec()
    };
    let mut schedules = Schedules::with_builtin(&[]);
    let all = texts(schedules.create("bad id", bad).unwrap_err()).join("\n");
    for expected in [
        "schedule id 'bad id' cannot be used",
        "protocol 'gopher' is not supported",
        "part 'logs' does not exist",
        "backup password must have at least 8 characters",
        "hour 24 is not valid",
        "minute 60 is not valid",
        "day 'FUNDAY' is not a day of the week",
        "number of backups to keep is 0",
    ] {
        assert!(all.contains(expected), "{expected}: {all}");
    }
    assert!(!all.contains("weak"), "the password is never echoed: {all}");
}

#[test]
fn create_update_delete() {
    let mut schedules = Schedules::with_builtin(&["weekly".into()]);
    assert_eq!(schedules.ids(), ["default", "weekly"]);
    assert_eq!(
        schedules.create("default", spec()).unwrap_err().kind,
        ErrorType::AlreadyExists
    );
    let nightly = ScheduleSpec {
        recurrence_info: Some(RecurrenceInfo {
            minute: 30,
            hour: 2,
            days: None,
        }),
        backup_password: Some(Secret::new("VMware1!")),
        ..spec()
    };
    schedules.create("nightly", nightly).unwrap();
    let s = schedules.get("nightly").unwrap();
    assert_eq!(s.fires().map(|r| (r.hour, r.minute)), Some((2, 30)));
    // An unset field keeps its value; the password too.
    let change: UpdateSpec = serde_json::from_value(serde_json::json!({"enable": false})).unwrap();
    schedules.update("nightly", change).unwrap();
    let s = schedules.get("nightly").unwrap();
    assert!(s.fires().is_none());
    assert_eq!(s.spec.recurrence_info.as_ref().map(|r| r.hour), Some(2));
    assert_eq!(
        s.spec.backup_password.as_ref().map(Secret::expose),
        Some("VMware1!")
    );
    // A change that breaks a rule changes nothing.
    let change: UpdateSpec = serde_json::from_value(
        serde_json::json!({"enable": true, "retention_info": {"max_count": -1}}),
    )
    .unwrap();
    assert_eq!(
        schedules.update("nightly", change).unwrap_err().kind,
        ErrorType::InvalidArgument
    );
    assert!(schedules.get("nightly").unwrap().fires().is_none());
    schedules.delete("nightly").unwrap();
    assert_eq!(
        schedules.delete("nightly").unwrap_err().kind,
        ErrorType::NotFound
    );
    schedules.delete("default").unwrap();
    schedules.delete("weekly").unwrap();
    assert!(
        texts(schedules.get("default").unwrap_err())[0].contains("The appliance has no schedules.")
    );
}
