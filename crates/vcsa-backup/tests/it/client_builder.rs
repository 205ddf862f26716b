//! Tests of client::builder, through the public API.

use std::time::Duration;

use vcsa_backup::*;

#[test]
fn debug_hides_the_password() {
    let builder = Client::builder("https://vcsa").credentials("root", Secret::new("VMware1!"));
    assert!(!format!("{builder:?}").contains("VMware1!"));
}

#[test]
fn every_problem_is_reported() {
    let Err(Error::Configuration { problems, .. }) = Client::builder("https://proxy/vcsa/rest")
        .add_root_certificate_pem(b"not pem")
        .request_timeout(Duration::ZERO)
        .build()
    else {
        panic!("expected a configuration error");
    };
    let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [Field::BaseUrl, Field::Timeout, Field::RootCertificate],
        "{problems:?}"
    );
}

#[test]
fn credentials_basic_auth_cannot_carry_are_refused() {
    let problems = |user: &str, password: &str| match Client::builder("https://vcsa")
        .credentials(user, Secret::new(password))
        .build()
    {
        Ok(_) => Vec::new(),
        Err(Error::Configuration { problems, .. }) => problems,
        Err(other) => panic!("{other:?}"),
    };
    assert!(problems("administrator@vsphere.local", "VMware1!").is_empty());
    assert!(
        problems("root", "pa:ss word").is_empty(),
        "a password may hold anything"
    );

    let empty = problems("", "");
    assert_eq!(empty.len(), 2, "{empty:?}");
    assert_eq!(empty[0].field, Field::User, "{empty:?}");
    assert_eq!(empty[0].message, "the user name is empty");
    assert_eq!(empty[1].field, Field::Password, "{empty:?}");
    assert_eq!(problems("  ", "VMware1!").len(), 1, "blank is empty");

    let colon = problems("administrator@vsphere.local:VMware1!", "x");
    assert_eq!(colon.len(), 1, "{colon:?}");
    assert!(colon[0].message.contains("contains ':'"), "{colon:?}");

    let control = problems("root\n", "VMware1!");
    assert_eq!(control.len(), 1, "{control:?}");
    assert!(
        control[0].message.contains("\"root\\n\""),
        "shown escaped: {control:?}"
    );
    assert!(
        control[0].message.contains("control characters"),
        "{control:?}"
    );

    // Reported with the other settings problems, and never with the password.
    let Err(Error::Configuration { problems, .. }) = Client::builder("ftp://vcsa")
        .credentials("a:b\t", Secret::new("Secret-Pa55"))
        .build()
    else {
        panic!("expected a configuration error");
    };
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(!format!("{problems:?}").contains("Secret-Pa55"));
}

#[test]
fn settings_of_the_http_client_conflict_with_a_supplied_one() {
    let supplied = || reqwest::Client::new();
    let built = Client::builder("https://vcsa")
        .credentials("root", Secret::new("VMware1!"))
        .flavour(Flavour::Api)
        .http_client(supplied())
        .build();
    assert!(built.is_ok(), "{built:?}");

    let builder = Client::builder("https://vcsa")
        .http_client(supplied())
        .request_timeout(Duration::from_secs(5))
        .user_agent("mine/1.0")
        .add_root_certificate_pem(b"not even pem")
        .danger_accept_invalid_certs();
    #[cfg(feature = "rustls")]
    let builder = builder.pin_thumbprint_sha256("not a thumbprint");
    let Err(Error::Configuration { problems, .. }) = builder.build() else {
        panic!("expected a configuration error");
    };
    // One problem, naming each setting; the settings themselves are not checked further.
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, Field::HttpClient);
    let message = &problems[0].message;
    for setting in [
        "a time-out",
        "a user agent",
        "a CA certificate",
        "accepting any",
    ] {
        assert!(message.contains(setting), "{message}");
    }
    #[cfg(feature = "rustls")]
    assert!(message.contains("a pinned thumbprint"), "{message}");
    assert!(
        message.contains(", a CA certificate") && message.contains(" and accepting any"),
        "a list of words: {message}"
    );

    // Two settings are joined by "and" alone.
    let Err(Error::Configuration { problems, .. }) = Client::builder("https://vcsa")
        .http_client(supplied())
        .request_timeout(Duration::from_secs(5))
        .user_agent("mine/1.0")
        .build()
    else {
        panic!("expected a configuration error");
    };
    assert!(
        problems[0]
            .message
            .contains(" so a time-out and a user agent cannot"),
        "{problems:?}"
    );
}
