//! The inventory's format, in full: one text for `fleet --help`, the manual pages and the
//! README.

/// Every section and key of the inventory, with its meaning.
pub const FORMAT: &str = "\
The inventory (TOML) names the appliances, how to log in to each and how to trust it.
Passwords come from files or environment variables, never from the inventory itself.
Relative paths are taken from the inventory's folder. The file must be writable by its
owner alone.

  [defaults]                                  # what every appliance starts from
  password_file = \"/etc/vcsa/admin.pw\"
  trust = { ca_file = \"/etc/vcsa/vmca.pem\" }

  [groups.sso-east]                           # what the appliances of a group share
  password_env = \"VCSA_EAST_PASSWORD\"

  [groups.sso-east.schedule]                  # their schedule, for `fleet schedule apply`
  location = \"sftp://nas.example.com/vcsa\"
  location_user = \"backup\"
  location_password_file = \"/etc/vcsa/nas.pw\"
  at = \"23:00\"
  keep = 7

  [[appliance]]
  name = \"vc-east-1\"
  server = \"vc-east-1.example.com\"
  group = \"sso-east\"

Each appliance takes its own setting, else its group's, else the one under [defaults],
else the default. A schedule table is one setting: the nearest one applies whole.

An [[appliance]] entry only:
  name            its name in every output and for --only (required, unique)
  server          a host name, host:port or https:// URL (required, unique)
  group           its group: `fleet backup` starts a group's backups together (one SSO
                  domain); its settings are under [groups.NAME]; --only picks it by group
An [[appliance]] entry, [groups.NAME] or [defaults]:
  user            the user to log in as (default administrator@vsphere.local)
  password_file   a file whose first line is the password
  password_env    or an environment variable holding it (a fleet needs one of the two)
  trust           { thumbprint = \"AB:CD:...\" }: only the certificate with this SHA-256
                  thumbprint; { ca_file = \"vmca.pem\" }: certificates this CA signed; left
                  out: the certificate authorities the system trusts
  schedule        the schedule `fleet backup` runs: its id (default \"default\"), or a
                  table of its settings, which `fleet schedule apply` makes every
                  appliance have (as `schedule apply` does for one)
A schedule table, [groups.NAME.schedule] say (the options of `schedule apply`):
  id                      the schedule's id (default \"default\", the one the appliance's
                          own interface manages)
  location                the root of the backup location, such as sftp://host/path,
                          nfs://host:/export/path or smb://server/share/path (required)
  location_user           the user on the backup server
  location_password_file  a file whose first line is its password (sent when the
                          schedule is created, its user changes, or with --send-passwords)
  location_password_env   or an environment variable holding it
  backup_password_file    encrypt the backups with the password on this file's first line
  backup_password_env     or in this environment variable
  parts                   the parts besides the core configuration, such as [\"seat\"];
                          left out: the core configuration only
  at                      the time it runs, \"HH:MM\" on the appliance's clock and in its
                          time zone; left out: only when run by hand
  days                    \"mon,wed,fri\", \"mon-fri\", \"weekdays\" or \"weekends\"; left out:
                          every day
  keep                    keep the newest N backups; left out: every backup
  fast                    true: fast backup (vSphere 8.0 and later)
  enabled                 false: kept, but not run on its own (default true)

--only PATTERN, on every fleet command, picks the appliances whose name or group matches
(repeat it or separate patterns with commas; * any characters, ? one, [abc] one of a set):
`--only 'vc-east-*' --only sso-west`. Selecting no appliance is an error.";
