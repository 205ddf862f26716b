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
