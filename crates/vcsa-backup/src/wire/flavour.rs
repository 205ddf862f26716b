//! The two wire flavours the appliance may speak.

use std::fmt;

/// Which of the appliance's two APIs the client speaks.
///
/// ```
/// use vcsa_backup::Flavour;
///
/// assert_eq!(Flavour::default(), Flavour::Auto);
/// assert_eq!(Flavour::Rest.to_string(), "/rest");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Flavour {
    /// The `/api` flavour: vSphere 7.0 Update 2 and later.
    Api,
    /// The `/rest` flavour: vSphere 6.5 and later; deprecated, still served by 8.x.
    Rest,
    /// Find out on first use: `/api` if the appliance has it, otherwise `/rest`. Detection costs
    /// no extra request: it is the first log in, tried on `/api`.
    #[default]
    Auto,
}

impl fmt::Display for Flavour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Api => "/api",
            Self::Rest => "/rest",
            Self::Auto => "auto",
        })
    }
}

impl std::str::FromStr for Flavour {
    type Err = String;

    /// `api`, `rest` or `auto`, in any letter case, with or without a leading `/`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim_start_matches('/').to_ascii_lowercase().as_str() {
            "api" => Ok(Self::Api),
            "rest" => Ok(Self::Rest),
            "auto" => Ok(Self::Auto),
            _ => Err(format!("\"{s}\" is not a flavour; use api, rest or auto")),
        }
    }
}
