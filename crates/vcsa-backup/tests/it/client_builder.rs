//! Tests of client::builder, through the public API.

use vcsa_backup::*;

#[test]
fn debug_hides_the_password() {
    let builder = Client::builder("https://vcsa").credentials("root", Secret::new("VMware1!"));
    assert!(!format!("{builder:?}").contains("VMware1!"));
}
