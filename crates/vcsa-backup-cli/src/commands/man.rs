//! `man`: manual pages made from the same definitions as `--help`, one per command
//! (`vcsa-backup(1)`, `vcsa-backup-backup(1)`, `vcsa-backup-schedule-create(1)`, ...). Every
//! page ends with the exit codes; the main page and the fleet pages also with the inventory
//! file's format. Packages install them from `vcsa-backup man --out DIR`.

use std::path::Path;

use clap::CommandFactory;
use roff::{Roff, roman};

use crate::cli::{Cli, EXIT_CODES, ManArgs, fleet_help};
use crate::failure::{ExitCode, Failure};
use crate::{output, output_file};

/// The main page's name; a subcommand's page is this and its path, joined by `-`.
const MAIN: &str = "vcsa-backup";

/// One manual page, in section 1.
pub struct Page {
    /// Its name, such as `vcsa-backup-schedule-create` (the file is `NAME.1`).
    pub name: String,
    /// The page in roff, as `man` reads it.
    pub roff: String,
}

/// Prints the page asked for, or writes every page into `--out`.
pub fn run(args: &ManArgs) -> Result<(), Failure> {
    let pages = pages();
    if let Some(folder) = &args.out {
        return write_all(folder, &pages);
    }
    let words: Vec<&str> = std::iter::once(MAIN)
        .chain(args.command.iter().map(String::as_str))
        .collect();
    let name = words.join("-");
    match pages.iter().find(|page| page.name == name) {
        Some(page) => output::write(page.roff.trim_end()),
        None => Err(Failure::input(
            format!("there is no command `{}`", words.join(" ")),
            "`vcsa-backup --help` lists the commands; name one as `vcsa-backup man schedule create`",
        )),
    }
}

/// Every page: the main one, then each subcommand's, depth first.
pub fn pages() -> Vec<Page> {
    let mut command = Cli::command().disable_help_subcommand(true);
    // Building names each subcommand after its path (`vcsa-backup-schedule-create`).
    command.build();
    let mut pages = Vec::new();
    collect(&command, &mut pages);
    pages
}

fn collect(command: &clap::Command, pages: &mut Vec<Page>) {
    pages.push(page(command));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, pages);
    }
}

fn page(command: &clap::Command) -> Page {
    let name = command
        .get_display_name()
        .unwrap_or_else(|| command.get_name())
        .to_string();
    let notes = command.get_after_long_help().map(ToString::to_string);
    // clap_mangen would run the text after the help into one paragraph: it is written here
    // instead, with its lines kept.
    let bare = command
        .clone()
        .after_long_help(None::<&str>)
        .after_help(None::<&str>);
    let mut rendered = Vec::new();
    clap_mangen::Man::new(bare)
        .render(&mut rendered)
        .expect("rendering into memory cannot fail");

    let mut extra = Roff::new();
    let fleet_help = fleet_help();
    if let Some(notes) = notes.filter(|n| *n != EXIT_CODES && *n != fleet_help) {
        preformatted(&mut extra, "NOTES", &notes);
    }
    let exit_codes = EXIT_CODES
        .strip_prefix("Exit codes:\n")
        .unwrap_or(EXIT_CODES);
    preformatted(&mut extra, "EXIT STATUS", exit_codes);
    if name == MAIN || name.starts_with("vcsa-backup-fleet") {
        preformatted(&mut extra, "FLEET INVENTORY", &fleet_help);
    }
    let mut roff = String::from_utf8_lossy(&rendered).into_owned();
    roff.push_str(&extra.render());
    Page { name, roff }
}

/// A section whose lines are printed as written (tables, examples).
fn preformatted(roff: &mut Roff, heading: &str, text: &str) {
    roff.control("SH", [heading]).control("nf", []);
    for line in text.lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
}

/// Writes each page as `NAME.1` into `folder` (created if missing), then lists the files.
fn write_all(folder: &Path, pages: &[Page]) -> Result<(), Failure> {
    let cannot = |what: String, e: std::io::Error| {
        Failure::new(
            ExitCode::InvalidInput,
            format!("could not write {what}: {e}"),
        )
        .with_hint("name a folder that can be created or written to with --out")
    };
    std::fs::create_dir_all(folder)
        .map_err(|e| cannot(format!("the folder {}", folder.display()), e))?;
    let mut written = Vec::new();
    for page in pages {
        let path = folder.join(format!("{}.1", page.name));
        output_file::write_atomically(&path, &page.roff)
            .map_err(|e| cannot(path.display().to_string(), e))?;
        written.push(path.display().to_string());
    }
    output::write(&written.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every subcommand at every depth, as the words that name it.
    fn paths(command: &clap::Command, above: &[String], found: &mut Vec<Vec<String>>) {
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            let mut path = above.to_vec();
            path.push(sub.get_name().to_string());
            found.push(path.clone());
            paths(sub, &path, found);
        }
    }

    #[test]
    fn every_subcommand_has_a_page_with_the_exit_codes() {
        let mut expected = vec![MAIN.to_string()];
        let mut found = Vec::new();
        paths(&Cli::command(), &[], &mut found);
        expected.extend(found.iter().map(|p| format!("{MAIN}-{}", p.join("-"))));
        let pages = pages();
        let names: Vec<&str> = pages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, expected);
        for page in &pages {
            assert!(
                page.roff.contains(&format!(".TH {} 1", page.name)),
                "{}",
                page.roff
            );
            // Every line of the one exit-code table, on every page (roff escapes undone).
            let text = page.roff.replace("\\*(Aq", "'").replace("\\-", "-");
            for line in EXIT_CODES.lines().skip(1) {
                assert!(text.contains(line), "{} lacks {line:?}", page.name);
            }
        }
    }
}
