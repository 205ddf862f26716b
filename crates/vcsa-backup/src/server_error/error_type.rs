//! [`ServerErrorType`]: the appliance's error types, owned by the SDK so that the generated wire
//! enums stay out of its public API.

vcsa_backup_api::open_enum! {
    /// The appliance's error type, such as `FEATURE_IN_USE`, in the `/api` flavour's spelling
    /// whichever flavour sent it (`/rest` says `com.vmware.vapi.std.errors.feature_in_use`).
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
    ServerErrorType {
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
}
