//! [`ServerErrorType`]: the appliance's error types, owned by the SDK so that the generated wire
//! enums stay out of its public API.

use std::fmt;

/// Declares the named variants with their `/api` spelling and a one-line meaning each.
macro_rules! error_types {
    ($( $(#[$doc:meta])* $variant:ident = $wire:literal, )*) => {
        /// The appliance's error type, such as `FEATURE_IN_USE`, in the `/api` flavour's spelling
        /// whichever flavour sent it (`/rest` says `com.vmware.vapi.std.errors.feature_in_use`).
        ///
        /// Open: a type this SDK does not know (from a newer appliance) is kept in `Unknown`, as
        /// received. Build values with `From<&str>`, which maps the known spellings to their
        /// named variant; `Display` prints the `/api` spelling.
        ///
        /// ```
        /// use vcsa_backup::ServerErrorType;
        ///
        /// let t = ServerErrorType::from("FEATURE_IN_USE");
        /// assert_eq!(t, ServerErrorType::FeatureInUse);
        /// assert_eq!(t.to_string(), "FEATURE_IN_USE");
        /// let new = ServerErrorType::from("QUOTA_EXCEEDED");
        /// assert_eq!(new, ServerErrorType::Unknown("QUOTA_EXCEEDED".into()));
        /// assert!(!new.is_known());
        /// ```
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ServerErrorType {
            $( $(#[$doc])* $variant, )*
            /// A type this SDK does not know, kept as received.
            Unknown(String),
        }

        impl ServerErrorType {
            /// Every type this SDK knows: the vAPI standard errors.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant),*];

            /// The `/api` spelling, such as `FEATURE_IN_USE`; an unknown type as received.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl From<&str> for ServerErrorType {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }
    };
}

error_types! {
    /// A generic error (`ERROR`).
    Error = "ERROR",
    /// The thing to create already exists (`ALREADY_EXISTS`).
    AlreadyExists = "ALREADY_EXISTS",
    /// The thing is already in the state asked for (`ALREADY_IN_DESIRED_STATE`).
    AlreadyInDesiredState = "ALREADY_IN_DESIRED_STATE",
    /// The operation was cancelled (`CANCELED`).
    Canceled = "CANCELED",
    /// Someone else changed the thing at the same time (`CONCURRENT_CHANGE`).
    ConcurrentChange = "CONCURRENT_CHANGE",
    /// The feature is busy: for backups, another backup or restore is running (`FEATURE_IN_USE`).
    FeatureInUse = "FEATURE_IN_USE",
    /// The appliance failed internally (`INTERNAL_SERVER_ERROR`).
    InternalServerError = "INTERNAL_SERVER_ERROR",
    /// A value in the request is wrong (`INVALID_ARGUMENT`).
    InvalidArgument = "INVALID_ARGUMENT",
    /// An element's configuration is wrong (`INVALID_ELEMENT_CONFIGURATION`).
    InvalidElementConfiguration = "INVALID_ELEMENT_CONFIGURATION",
    /// An element has the wrong type (`INVALID_ELEMENT_TYPE`).
    InvalidElementType = "INVALID_ELEMENT_TYPE",
    /// The request itself is malformed (`INVALID_REQUEST`).
    InvalidRequest = "INVALID_REQUEST",
    /// Not possible in the current state (`NOT_ALLOWED_IN_CURRENT_STATE`).
    NotAllowedInCurrentState = "NOT_ALLOWED_IN_CURRENT_STATE",
    /// The thing named does not exist (`NOT_FOUND`).
    NotFound = "NOT_FOUND",
    /// The operation does not exist on this appliance (`OPERATION_NOT_FOUND`).
    OperationNotFound = "OPERATION_NOT_FOUND",
    /// The resource is busy; try again later (`RESOURCE_BUSY`).
    ResourceBusy = "RESOURCE_BUSY",
    /// The resource is used by something else (`RESOURCE_IN_USE`).
    ResourceInUse = "RESOURCE_IN_USE",
    /// The resource cannot be reached (`RESOURCE_INACCESSIBLE`).
    ResourceInaccessible = "RESOURCE_INACCESSIBLE",
    /// The service is unavailable, such as while starting (`SERVICE_UNAVAILABLE`).
    ServiceUnavailable = "SERVICE_UNAVAILABLE",
    /// The operation did not finish in time (`TIMED_OUT`).
    TimedOut = "TIMED_OUT",
    /// Not enough resources, such as disk space (`UNABLE_TO_ALLOCATE_RESOURCE`).
    UnableToAllocateResource = "UNABLE_TO_ALLOCATE_RESOURCE",
    /// No valid session or credentials (`UNAUTHENTICATED`).
    Unauthenticated = "UNAUTHENTICATED",
    /// The user lacks the privilege (`UNAUTHORIZED`).
    Unauthorized = "UNAUTHORIZED",
    /// The request held input the appliance did not expect (`UNEXPECTED_INPUT`).
    UnexpectedInput = "UNEXPECTED_INPUT",
    /// Not supported by this appliance (`UNSUPPORTED`).
    Unsupported = "UNSUPPORTED",
    /// A peer's certificate could not be verified (`UNVERIFIED_PEER`).
    UnverifiedPeer = "UNVERIFIED_PEER",
}

impl ServerErrorType {
    /// Whether this is one of the types this SDK knows.
    pub fn is_known(&self) -> bool {
        !matches!(self, Self::Unknown(_))
    }
}

impl From<String> for ServerErrorType {
    fn from(value: String) -> Self {
        match Self::from(value.as_str()) {
            Self::Unknown(_) => Self::Unknown(value),
            known => known,
        }
    }
}

impl std::str::FromStr for ServerErrorType {
    type Err = std::convert::Infallible;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Self::from(value))
    }
}

impl fmt::Display for ServerErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ServerErrorType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_type_round_trips_through_its_spelling() {
        assert_eq!(ServerErrorType::KNOWN.len(), 25);
        for t in ServerErrorType::KNOWN {
            assert!(t.is_known());
            assert_eq!(&ServerErrorType::from(t.to_string()), t);
            assert_eq!(t.as_str().parse::<ServerErrorType>().as_ref(), Ok(t));
        }
    }

    #[test]
    fn unknown_types_are_kept_as_received() {
        let t = ServerErrorType::from("feature_in_use");
        assert_eq!(t, ServerErrorType::Unknown("feature_in_use".into()));
        assert_eq!(t.to_string(), "feature_in_use");
        assert_eq!(
            serde_json::to_string(&ServerErrorType::NotFound).unwrap(),
            "\"NOT_FOUND\""
        );
    }
}
