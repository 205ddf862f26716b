//! Command-line parsing of the SDK's enums with `clap` (the `clap` feature), so that a
//! command-line tool takes them as options without mirroring them.

use clap::ValueEnum;
use clap::builder::PossibleValue;

use crate::LocationType;

impl ValueEnum for LocationType {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    /// The scheme, such as `sftp`, with a word on the protocol.
    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self {
            Self::Ftp => "FTP",
            Self::Ftps => "FTP over TLS",
            Self::Http => "HTTP (WebDAV)",
            Self::Https => "HTTPS (WebDAV)",
            Self::Scp => "SCP (appliances from 7.0 expect SFTP instead)",
            Self::Sftp => "SFTP",
            Self::Nfs => "NFS (`host:/export/path`)",
            Self::Smb => "SMB (`server/share/path`)",
        };
        Some(PossibleValue::new(self.scheme()).help(help))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_location_type_is_taken_by_its_scheme_in_any_case() {
        for kind in LocationType::ALL {
            assert_eq!(LocationType::from_str(kind.scheme(), false), Ok(kind));
            let upper = kind.scheme().to_ascii_uppercase();
            assert_eq!(LocationType::from_str(&upper, true), Ok(kind));
        }
        assert!(LocationType::from_str("gopher", true).is_err());
    }
}
