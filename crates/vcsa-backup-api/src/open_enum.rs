//! The open-enum pattern: every enum of the spec can hold a value this client has never seen.
//!
//! The vendor declares all its enumerations open, so a newer appliance may send a new state or
//! error type at any time. Decoding must not fail on it, and sending it back must not change it.
//! The xtask writes one `open_enum!` invocation per enum schema into `generated.rs`, and the SDK
//! declares its own enumerations of the appliance's values with the same macro, so every
//! enumeration of both crates has one shape:
//!
//! - named variants for the known values, and `Unknown(String)` keeping any other as received;
//! - `as_str()` gives the wire text, and `Display` prints exactly that; wording for people, where
//!   wanted, is a separate method of the enum;
//! - serde reads and writes the wire text (an unknown value round-trips unchanged);
//! - `is_known()`, `KNOWN` (every known value, in declaration order), `From<&str>`,
//!   `From<String>` and `FromStr` (infallible).

/// Declares an open enum: named variants for the known wire values and `Unknown(String)` for the rest.
///
/// Exported (hidden) so that the SDK declares its own enumerations the same way; the expansion
/// names `serde` and `schemars` through this crate, so the caller needs neither.
#[macro_export]
#[doc(hidden)]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )* }
    ) => {
        $(#[$meta])*
        ///
        /// This enum is open: a value this client does not know is kept in `Unknown`, exactly as it
        /// was received, and serializes back unchanged. Build values with `From<&str>` or `FromStr`,
        /// which map known wire values to their named variant; an `Unknown` built by hand around a
        /// known value is not equal to that variant.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this client does not know (sent by a newer appliance), kept as received.
            Unknown(::std::string::String),
        }

        impl $name {
            /// Every value this client knows, in the order of the spec.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant),*];

            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(other) => other,
                }
            }

            /// Whether this is one of the values this client knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Unknown(_) => Self::Unknown(value),
                    known => known,
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as $crate::__private::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        impl $crate::__private::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::string::String {
                stringify!($name).to_string()
            }

            fn json_schema(_: &mut $crate::__private::schemars::r#gen::SchemaGenerator) -> $crate::__private::schemars::schema::Schema {
                // Open: any string is accepted, so the schema names no closed set of values.
                $crate::__private::schemars::schema::SchemaObject {
                    instance_type: Some($crate::__private::schemars::schema::InstanceType::String.into()),
                    ..::std::default::Default::default()
                }
                .into()
            }
        }
    };
}

pub(crate) use crate::open_enum;

/// What `open_enum!` expands to needs, reached through this crate.
#[doc(hidden)]
pub mod __private {
    pub use schemars;
    pub use serde;
}
