//! Every error a call returns converts into `Error` with `?`: settings refused before anything
//! was sent become an invalid request naming the setting, and say not to try again unchanged.

use std::time::Duration;

use vcsa_backup::health::HealthPolicy;
use vcsa_backup::{Error, Field, RetryAdvice};

const HOUR: Duration = Duration::from_secs(3600);

fn policy(warn: Duration, crit: Duration) -> Result<HealthPolicy, Error> {
    Ok(HealthPolicy::new(warn, crit)?)
}

#[test]
fn a_refused_health_policy_is_an_invalid_request_about_the_ages() {
    let error = policy(50 * HOUR, 26 * HOUR).unwrap_err();
    assert_eq!(error.problems().len(), 1);
    assert_eq!(error.problems()[0].field, Field::BackupAge);
    assert_eq!(error.retry_advice(), RetryAdvice::Never);
    let shown = error.to_string();
    assert!(
        shown.contains("backup age limits: the warning age (2d 2h) is longer than the critical"),
        "{shown}"
    );
    assert!(policy(26 * HOUR, 50 * HOUR).is_ok());
}

#[cfg(feature = "fleet")]
mod fleet {
    use super::*;
    use vcsa_backup::Secret;
    use vcsa_backup::fleet::{Appliance, BackupPlan, Fleet};

    fn appliance(name: &str, server: &str) -> Appliance {
        let password = Secret::new("VMware1!");
        Appliance::new(name, server, "administrator@vsphere.local", password).group("sso-east")
    }

    fn fleet(appliances: Vec<Appliance>) -> Result<Fleet, Error> {
        Ok(Fleet::new(appliances)?)
    }

    #[test]
    fn a_refused_fleet_names_each_appliance_as_a_problem() {
        let error = fleet(vec![
            appliance("vc1", "https://vc1.example.com"),
            appliance("vc1", "https://vc2.example.com"),
        ])
        .unwrap_err();
        assert!(!error.problems().is_empty());
        assert!(error.problems().iter().all(|p| p.field == Field::Appliance));
        assert_eq!(error.retry_advice(), RetryAdvice::Never);
        let shown = error.to_string();
        assert!(shown.contains("fleet: appliance #2 (name)"), "{shown}");
    }

    async fn back_up(fleet: &Fleet) -> Result<usize, Error> {
        let started = fleet
            .backup(&BackupPlan::schedules().window(Duration::from_secs(300)))
            .await?;
        Ok(started.groups.len())
    }

    #[tokio::test]
    async fn a_group_larger_than_the_fleet_works_on_at_once_is_refused_before_sending() {
        let servers = ["https://vc1.example.com", "https://vc2.example.com"];
        let members = servers.iter().enumerate();
        let members = members.map(|(i, server)| appliance(&format!("vc{i}"), server));
        let fleet = fleet(members.collect()).unwrap().jobs(1);
        let error = back_up(&fleet).await.unwrap_err();
        assert_eq!(error.problems()[0].field, Field::Concurrency);
        assert_eq!(error.retry_advice(), RetryAdvice::Never);
        let shown = error.to_string();
        assert!(shown.contains("allow at least 2 at once"), "{shown}");
    }
}
