//! The long help's section on settings: where each comes from, and the configuration file.

/// The long help's section on settings and where they come from.
pub(crate) const SETTINGS_HELP: &str = "\
Settings and where they come from (the first found wins):
  1. an option:              --server, --user, --password-file, --thumbprint, --ca-cert, --insecure
  2. an environment variable: VCSA_SERVER, VCSA_USER, VCSA_PASSWORD, VCSA_THUMBPRINT, VCSA_CA_CERT
  3. the configuration file's appliance entry
  4. the default: user administrator@vsphere.local; the password is asked for on a terminal;
     certificates signed by an authority the system trusts
Trust is one setting: a --thumbprint, --ca-cert or --insecure (or VCSA_THUMBPRINT, VCSA_CA_CERT)
replaces the file's trust. --insecure has no variable: it is typed each time.

The configuration file (--config FILE or VCSA_CONFIG; by default
$XDG_CONFIG_HOME/vcsa-backup/config.toml, else ~/.config/vcsa-backup/config.toml) names
appliances in the format of a fleet inventory (see `vcsa-backup fleet --help`):

  [[appliance]]
  name = \"vc1\"
  server = \"vcsa.example.com\"
  password_file = \"/etc/vcsa/admin.pw\"          # or password_env = \"VCSA_PASSWORD\"
  trust = { thumbprint = \"AB:CD:...\" }          # or { ca_file = \"/etc/vcsa/vmca.pem\" }

--appliance NAME (or VCSA_APPLIANCE) picks an entry; without it, the entry whose server is
--server's applies, or, with no --server, the file's only entry. The file must be writable by
its owner alone (as ssh requires of its configuration). `vcsa-backup trust SERVER` shows an
appliance's certificate and the lines that pin it.";
