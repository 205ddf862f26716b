//! Every component schema of the spec, paired with the Rust type the client uses for it.
//!
//! Tests walk the spec and look each schema up here, so a schema added to the spec without a Rust
//! counterpart (or the other way round) fails `registry_matches_spec` in the schema test.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;
use vcsa_backup_api::{WireSecret, enums, types};

/// What decoding a JSON value into the Rust type gave.
#[derive(Debug)]
pub struct Decoded {
    /// The value's `{:#?}` output (what a user sees when they print it).
    pub debug: String,
    /// The value serialized back to JSON.
    pub reencoded: Value,
}

/// One schema of the spec and its Rust type.
pub struct Entry {
    /// The component schema name in the spec.
    pub name: &'static str,
    /// The Rust type's path, for messages.
    pub rust_type: &'static str,
    /// Decodes a JSON value into the Rust type and encodes it again.
    pub decode: fn(&Value) -> Result<Decoded, serde_json::Error>,
    /// The Rust type's JSON schema (schemars 0.8, draft 7), as JSON.
    pub json_schema: fn() -> Value,
    /// For open enums: the values the Rust enum knows, in declaration order.
    pub known: Option<fn() -> Vec<&'static str>>,
}

fn decode<T: DeserializeOwned + Serialize + std::fmt::Debug>(
    value: &Value,
) -> Result<Decoded, serde_json::Error> {
    let decoded: T = serde_json::from_value(value.clone())?;
    Ok(Decoded {
        debug: format!("{decoded:#?}"),
        reencoded: serde_json::to_value(&decoded)?,
    })
}

fn json_schema<T: schemars::JsonSchema>() -> Value {
    serde_json::to_value(schemars::schema_for!(T)).expect("a JSON schema serializes")
}

macro_rules! entries {
    ($( $name:literal => $ty:ty $(, known = $known:expr)? ;)*) => {
        vec![$(
            Entry {
                name: $name,
                rust_type: stringify!($ty),
                decode: decode::<$ty>,
                json_schema: json_schema::<$ty>,
                known: entries!(@known $($known)?),
            },
        )*]
    };
    (@known) => { None };
    (@known $known:expr) => { Some($known) };
}

macro_rules! known {
    ($ty:ty) => {
        || <$ty>::KNOWN.iter().map(|v| v.as_str()).collect()
    };
}

/// Every entry, one per component schema of the spec.
pub fn all() -> Vec<Entry> {
    entries! {
        "SessionToken" => WireSecret;
        "JobIdList" => types::JobIdList;
        "PartList" => types::PartList;
        "JobDetailsMap" => types::JobDetailsMap;
        "BackupRequest" => types::BackupRequest;
        "RunScheduleRequest" => types::RunScheduleRequest;
        "RestBackupRequestPiece" => types::RestBackupRequestPiece;
        "BackupJobStatus" => types::BackupJobStatus;
        "JobMessage" => types::JobMessage;
        "BackupRestoreProcessState" => enums::BackupRestoreProcessState,
            known = known!(enums::BackupRestoreProcessState);
        "LocationType" => enums::LocationType, known = known!(enums::LocationType);
        "DetailsInfo" => types::DetailsInfo;
        "DetailsType" => enums::DetailsType, known = known!(enums::DetailsType);
        "DetailsStatus" => enums::DetailsStatus, known = known!(enums::DetailsStatus);
        "DetailsProgress" => types::DetailsProgress;
        "DetailsBuildInfo" => types::DetailsBuildInfo;
        "DynamicId" => types::DynamicId;
        "DetailsError" => types::DetailsError;
        "Part" => types::Part;
        "ReturnResult" => types::ReturnResult;
        "ReturnStatus" => enums::ReturnStatus, known = known!(enums::ReturnStatus);
        "LocalizableMessage" => types::LocalizableMessage;
        "LocalizationParam" => types::LocalizationParam;
        "NestedLocalizableMessage" => types::NestedLocalizableMessage;
        "StdError" => types::StdError;
        "ErrorType" => enums::ErrorType, known = known!(enums::ErrorType);
        "RestError" => types::RestError;
        "RestErrorType" => enums::RestErrorType, known = known!(enums::RestErrorType);
        "RestSessionTokenValue" => types::RestSessionTokenValue;
        "RestJobIdListValue" => types::RestJobIdListValue;
        "RestBackupJobStatusValue" => types::RestBackupJobStatusValue;
        "RestReturnResultValue" => types::RestReturnResultValue;
        "RestPartListValue" => types::RestPartListValue;
        "RestJobDetailsValue" => types::RestJobDetailsValue;
        "RestJobDetailsEntry" => types::RestJobDetailsEntry;
        "PartSize" => types::PartSize;
        "ScheduleMap" => types::ScheduleMap;
        "CreateScheduleRequest" => types::CreateScheduleRequest;
        "ScheduleCreateSpec" => types::ScheduleCreateSpec;
        "ScheduleUpdateSpec" => types::ScheduleUpdateSpec;
        "ScheduleUpdateParts" => types::ScheduleUpdateParts;
        "ScheduleInfo" => types::ScheduleInfo;
        "RecurrenceInfo" => types::RecurrenceInfo;
        "DayOfWeek" => enums::DayOfWeek, known = known!(enums::DayOfWeek);
        "RetentionInfo" => types::RetentionInfo;
        "RestCreateScheduleRequest" => types::RestCreateScheduleRequest;
        "RestUpdateScheduleRequest" => types::RestUpdateScheduleRequest;
        "LocationSpec" => types::LocationSpec;
        "SystemNameList" => types::SystemNameList;
        "ListArchivesRequest" => types::ListArchivesRequest;
        "ArchiveFilterSpec" => types::ArchiveFilterSpec;
        "ArchiveSummaryList" => types::ArchiveSummaryList;
        "ArchiveSummary" => types::ArchiveSummary;
        "ArchiveInfo" => types::ArchiveInfo;
        "SystemTime" => types::SystemTime;
        "DateTimeFormat" => enums::DateTimeFormat, known = known!(enums::DateTimeFormat);
        "RestPartSizeValue" => types::RestPartSizeValue;
        "RestScheduleListValue" => types::RestScheduleListValue;
        "RestScheduleEntry" => types::RestScheduleEntry;
        "RestScheduleInfoValue" => types::RestScheduleInfoValue;
        "RestSystemNameListValue" => types::RestSystemNameListValue;
        "RestArchiveSummaryListValue" => types::RestArchiveSummaryListValue;
        "RestArchiveInfoValue" => types::RestArchiveInfoValue;
        "RestSystemTimeValue" => types::RestSystemTimeValue;
        "RecoveryInfo" => types::RecoveryInfo;
        "RestoreRequest" => types::RestoreRequest;
        "RestRestoreRequestPiece" => types::RestRestoreRequestPiece;
        "RestoreMetadata" => types::RestoreMetadata;
        "RestoreJobStatus" => types::RestoreJobStatus;
        "ReconciliationSpec" => types::ReconciliationSpec;
        "RestReconciliationSpec" => types::RestReconciliationSpec;
        "ReconciliationInfo" => types::ReconciliationInfo;
        "ReconciliationStatus" => enums::ReconciliationStatus,
            known = known!(enums::ReconciliationStatus);
        "RestRecoveryInfoValue" => types::RestRecoveryInfoValue;
        "RestRestoreMetadataValue" => types::RestRestoreMetadataValue;
        "RestRestoreJobStatusValue" => types::RestRestoreJobStatusValue;
        "RestReconciliationInfoValue" => types::RestReconciliationInfoValue;
    }
}

/// The entry for a schema name.
///
/// Panics naming the schema when it has no entry: add one to [`all`].
pub fn get(name: &str) -> Entry {
    all()
        .into_iter()
        .find(|entry| entry.name == name)
        .unwrap_or_else(|| panic!("schema {name} has no Rust type in tests/src/registry.rs"))
}
