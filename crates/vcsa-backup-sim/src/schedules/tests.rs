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
    let mut schedules = Schedules::with_builtin(&[], DEFAULT_MAX_SCHEDULES);
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
    let mut schedules = Schedules::with_builtin(&["weekly".into()], 3);
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

#[test]
fn the_default_schedule_runs_every_day_at_its_time() {
    let schedules = Schedules::with_builtin(&[], DEFAULT_MAX_SCHEDULES);
    let default = schedules.get(DEFAULT_SCHEDULE).unwrap();
    let (hour, minute) = DEFAULT_SCHEDULE_AT;
    let at = default
        .fires()
        .map(|r| (i64::from(r.hour), i64::from(r.minute), r.days.clone()));
    assert_eq!(at, Some((hour, minute, None)));
}

#[test]
fn a_schedule_beyond_the_cap_already_exists_in_the_appliances_words() {
    let mut schedules = Schedules::with_builtin(&[], DEFAULT_MAX_SCHEDULES);
    let refused = schedules.create("nightly", spec()).unwrap_err();
    assert_eq!(refused.kind, ErrorType::AlreadyExists);
    assert_eq!(
        texts(refused),
        [
            "Only one backup schedule per appliance can exist, and 'default' does. Update it, or \
          delete it first."
        ]
    );
    // Once `default` is gone, another id takes its place.
    schedules.delete(DEFAULT_SCHEDULE).unwrap();
    schedules.create("nightly", spec()).unwrap();
    assert_eq!(schedules.ids(), ["nightly"]);

    let mut two = Schedules::with_builtin(&[], 2);
    two.create("weekly", spec()).unwrap();
    let full = texts(two.create("monthly", spec()).unwrap_err());
    assert_eq!(
        full,
        [
            "At most 2 backup schedules per appliance can exist: 'default', 'weekly'. Update one, \
          or delete one first."
        ]
    );
}
