//! Tests of schedule::info, through the public API.

use vcsa_backup::*;

#[test]
fn one_line_summary() {
    let mut s = Schedule::new("default", "sftp://nas/backups");
    assert_eq!(
        s.to_string(),
        "default: only when run to sftp://nas/backups, keep all"
    );
    s.enabled = false;
    s.parts = vec![PartId::COMMON, PartId::SEAT];
    s.recurrence = Recurrence::new(23, 0, [vcsa_backup::DayOfWeek::Sunday]);
    s.retention = Some(Retention { max_count: 3 });
    assert_eq!(
        s.to_string(),
        "default: disabled, Sunday at 23:00 to sftp://nas/backups (seat), keep the newest 3"
    );
}
