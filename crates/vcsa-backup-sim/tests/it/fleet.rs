//! Many appliances in one process: each on its own port, with its own history, build, password
//! and faults; one can be switched off.

use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};

use crate::support::{API, client};

async fn job_ids(
    http: &reqwest::Client,
    url: &str,
    password: &str,
) -> reqwest::Result<Vec<String>> {
    let token: String = http
        .post(format!("{url}/api/session"))
        .basic_auth(DEFAULT_USER, Some(password))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    http.get(format!("{url}{API}/job"))
        .header("vmware-api-session-id", token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await
}

#[tokio::test]
async fn every_appliance_is_its_own() {
    let mut fleet = Simulator::fleet(4)
        .template(Simulator::builder().tls(false))
        .each(|i, appliance| {
            let appliance = appliance.history(i).build_number(format!("1000{i}"));
            if i == 3 {
                appliance.password("Other-Pa55")
            } else {
                appliance
            }
        })
        .start()
        .await
        .unwrap();
    let names: Vec<&str> = fleet.appliances().iter().map(|a| a.name()).collect();
    assert_eq!(names, ["vcsa-001", "vcsa-002", "vcsa-003", "vcsa-004"]);
    let http = client();
    for (i, appliance) in fleet.appliances().iter().take(3).enumerate() {
        let ids = job_ids(&http, appliance.url(), DEFAULT_PASSWORD)
            .await
            .unwrap();
        assert_eq!(ids.len(), i, "{}", appliance.name());
        assert!(
            ids.iter().all(|id| id.ends_with(&format!("-1000{i}"))),
            "{ids:?}"
        );
    }
    let other = &fleet.appliances()[3];
    assert!(job_ids(&http, other.url(), DEFAULT_PASSWORD).await.is_err());
    assert_eq!(
        job_ids(&http, other.url(), "Other-Pa55")
            .await
            .unwrap()
            .len(),
        3
    );

    // Faults stay with their appliance.
    fleet.appliances()[1].control().fail_next(1);
    assert!(
        job_ids(&http, fleet.appliances()[0].url(), DEFAULT_PASSWORD)
            .await
            .is_ok()
    );
    assert!(
        job_ids(&http, fleet.appliances()[1].url(), DEFAULT_PASSWORD)
            .await
            .is_err()
    );
    assert!(
        job_ids(&http, fleet.appliances()[1].url(), DEFAULT_PASSWORD)
            .await
            .is_ok()
    );

    // Switched off: its port refuses connections, the others go on.
    let gone = fleet.get("vcsa-002").unwrap().url().to_string();
    assert!(fleet.stop("vcsa-002").await);
    assert!(!fleet.stop("vcsa-002").await);
    let refused = job_ids(&http, &gone, DEFAULT_PASSWORD).await.unwrap_err();
    assert!(refused.is_connect(), "{refused}");
    assert_eq!(fleet.len(), 3);
    assert!(
        job_ids(&http, fleet.appliances()[0].url(), DEFAULT_PASSWORD)
            .await
            .is_ok()
    );
    fleet.shutdown().await;
}

#[tokio::test]
async fn the_inventory_names_every_appliance_with_its_thumbprint() {
    let fleet = Simulator::fleet(3).start().await.unwrap();
    let inventory = fleet.inventory(DEFAULT_USER, "VCSA_SIM_PASSWORD");
    assert!(inventory.contains("password_env = \"VCSA_SIM_PASSWORD\""));
    assert!(!inventory.contains(DEFAULT_PASSWORD));
    for appliance in fleet.appliances() {
        let entry = format!(
            "name = \"{}\"\nserver = \"{}\"\ntrust = {{ thumbprint = \"{}\" }}\n",
            appliance.name(),
            appliance.url(),
            appliance.thumbprint().unwrap()
        );
        assert!(
            inventory.contains(&entry),
            "{entry} missing from\n{inventory}"
        );
    }
    let thumbprints: std::collections::HashSet<_> =
        fleet.appliances().iter().map(|a| a.thumbprint()).collect();
    assert_eq!(
        thumbprints.len(),
        3,
        "each appliance has its own certificate"
    );
}
