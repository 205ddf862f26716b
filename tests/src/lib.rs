//! Shared helpers for the cross-crate tests live in the test files; this library is empty on purpose.
