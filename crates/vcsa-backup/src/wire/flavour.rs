//! The two wire flavours the appliance may speak.

use std::fmt;

/// Which of the appliance's two APIs the client speaks.
///
/// Unless [`ClientBuilder::flavour`](crate::ClientBuilder::flavour) sets one, the client finds
/// it out on first use: `/api` if the appliance has it, otherwise `/rest`. Finding out costs no
/// extra request: it is the first log in, tried on `/api`.
///
/// ```
/// use vcsa_backup::Flavour;
///
/// assert_eq!(Flavour::Rest.to_string(), "/rest");
/// assert_eq!("api".parse::<Flavour>(), Ok(Flavour::Api));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flavour {
    /// The `/api` flavour: vSphere 7.0 Update 2 and later.
    Api,
    /// The `/rest` flavour: vSphere 6.5 and later; deprecated, still served by 8.x.
    Rest,
}

impl Flavour {
    /// The flavour's path prefix, `/api` or `/rest`, without building a string.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Self::Api => "/api",
            Self::Rest => "/rest",
        }
    }
}

impl fmt::Display for Flavour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

impl std::str::FromStr for Flavour {
    type Err = String;

    /// `api` or `rest`, in any letter case, with or without a leading `/`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim_start_matches('/').to_ascii_lowercase().as_str() {
            "api" => Ok(Self::Api),
            "rest" => Ok(Self::Rest),
            _ => Err(format!("\"{s}\" is not a flavour; use api or rest")),
        }
    }
}
