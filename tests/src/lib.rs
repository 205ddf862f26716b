//! Support for the cross-crate tests in `tests/tests/`: one place for what several test binaries
//! share, so each test file holds only its assertions.
//!
//! - [`spec`]: the OpenAPI spec read as plain JSON, with `$ref` resolution and the operation list;
//! - [`registry`]: every component schema of the spec paired with the Rust type generated for it;
//! - [`instance`]: a valid JSON instance of any spec schema, built from the spec itself;
//! - [`recorder`]: wiremock's loopback mock server, answering a canned response and recording the
//!   requests, and the view of a request the snapshots take;
//! - [`harness`]: a generated client pointed at the recorder, with the test credentials;
//! - [`secrets`]: the secret values the tests send, so no snapshot may ever contain them;
//! - [`secret_scan`]: every secret of the workspace's tests, and the scan of every snapshot for them.

#![warn(missing_docs)]

pub mod harness;
pub mod instance;
pub mod recorder;
pub mod registry;
pub mod secret_scan;
pub mod secrets;
pub mod spec;
