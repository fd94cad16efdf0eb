//! The scenario library: runs saved in this browser under their scenario's
//! name, as plain data. What is stored and what Export writes is one
//! format (`file`); where it is stored is behind `store::Store`, so that
//! every rule here runs natively in tests. The components in `ui::library`
//! only draw it.

pub mod file;
pub mod store;

use crate::form::Run;

/// At most this many saved scenarios: a library file stays a few MB at
/// most (a scenario is a few KB), inside every browser's storage quota.
pub const MAX_ENTRIES: usize = 200;

/// A saved scenario: its run (scenario, trials, seed). Its name is the
/// scenario's name, so that an entry opened, exported or linked is called
/// the same everywhere.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub run: Run,
}

impl Entry {
    pub fn name(&self) -> &str {
        &self.run.scenario.name
    }
}

/// The saved scenarios, in the order they were first saved. Names are
/// unique (compared trimmed and without regard to case).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Library {
    entries: Vec<Entry>,
}

/// What a change to the library did, for the page to say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    /// A new entry under this name.
    Added(String),
    /// The entry of that name now holds the new run.
    Replaced(String),
    /// Nothing changed: the entry of that name already holds this run.
    Unchanged(String),
}

impl Saved {
    /// What the page says after a save.
    pub fn sentence(&self) -> String {
        match self {
            Saved::Added(n) => format!("Saved “{n}” in the library."),
            Saved::Replaced(n) => {
                format!("Saved “{n}” over the scenario of that name in the library.")
            }
            Saved::Unchanged(n) => format!("“{n}” is already saved as it is."),
        }
    }
}

/// Why a change was refused; the library is as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    Full,
    NoName,
    NameTaken(String),
    NotFound(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Full => write!(
                f,
                "The library holds {MAX_ENTRIES} scenarios, its most; delete one first."
            ),
            Refused::NoName => f.write_str("A saved scenario needs a name."),
            Refused::NameTaken(n) => write!(f, "The library already has a scenario named “{n}”."),
            Refused::NotFound(n) => write!(f, "The library has no scenario named “{n}”."),
        }
    }
}

/// What importing a library file added, replaced nothing of: entries new
/// by name were added; an entry whose name is taken by a different run was
/// added under a new name (`renamed`: from, to); one identical to a saved
/// entry was skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    pub added: usize,
    pub renamed: Vec<(String, String)>,
    pub identical: usize,
    /// Left out because the library was full.
    pub left_out: usize,
}

impl Merged {
    /// What the page says after an import.
    pub fn sentence(&self) -> String {
        let mut parts = vec![match self.added {
            0 => "Imported no new scenarios.".to_owned(),
            1 => "Imported 1 scenario.".to_owned(),
            n => format!("Imported {n} scenarios."),
        }];
        for (from, to) in &self.renamed {
            parts.push(format!(
                "“{from}” differs from the saved scenario of that name, so it was added as “{to}”."
            ));
        }
        match self.identical {
            0 => {}
            1 => parts.push("1 was already saved as it is.".into()),
            n => parts.push(format!("{n} were already saved as they are.")),
        }
        if self.left_out > 0 {
            parts.push(format!(
                "{} did not fit: the library holds at most {MAX_ENTRIES}.",
                self.left_out
            ));
        }
        parts.join(" ")
    }
}

/// Names compare as people read them: surrounding spaces and case ignored.
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl Library {
    pub fn from_entries(entries: Vec<Entry>) -> Library {
        let mut library = Library::default();
        library.merge(entries);
        library
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| same_name(e.name(), name))
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|e| same_name(e.name(), name))
    }

    /// Saves a run under its scenario's name: a new entry, or the one of
    /// that name replaced (saving again is how an entry is updated).
    pub fn save(&mut self, run: &Run) -> Result<Saved, Refused> {
        let name = run.scenario.name.trim();
        if name.is_empty() {
            return Err(Refused::NoName);
        }
        match self.position(name) {
            Some(i) if self.entries[i].run == *run => Ok(Saved::Unchanged(name.to_owned())),
            Some(i) => {
                self.entries[i].run = run.clone();
                Ok(Saved::Replaced(name.to_owned()))
            }
            None if self.entries.len() >= MAX_ENTRIES => Err(Refused::Full),
            None => {
                self.entries.push(Entry { run: run.clone() });
                Ok(Saved::Added(name.to_owned()))
            }
        }
    }

    /// A copy of the entry `name`, under the first free name "NAME (copy)",
    /// "NAME (copy 2)", ..., right after it. Returns the copy's name.
    pub fn duplicate(&mut self, name: &str) -> Result<String, Refused> {
        let i = self
            .position(name)
            .ok_or_else(|| Refused::NotFound(name.to_owned()))?;
        if self.entries.len() >= MAX_ENTRIES {
            return Err(Refused::Full);
        }
        let base = self.entries[i].name().trim().to_owned();
        let new_name = self.free_name(&base, "copy");
        let mut copy = self.entries[i].clone();
        copy.run.scenario.name = new_name.clone();
        self.entries.insert(i + 1, copy);
        Ok(new_name)
    }

    /// Renames the entry `from` (its scenario's name changes with it).
    /// A name differing only in case or spaces from its own is allowed.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), Refused> {
        let to = to.trim();
        if to.is_empty() {
            return Err(Refused::NoName);
        }
        let i = self
            .position(from)
            .ok_or_else(|| Refused::NotFound(from.to_owned()))?;
        if let Some(j) = self.position(to)
            && j != i
        {
            return Err(Refused::NameTaken(self.entries[j].name().to_owned()));
        }
        self.entries[i].run.scenario.name = to.to_owned();
        Ok(())
    }

    /// Deletes the entry `name`, returning it (and where it was, to put it back).
    pub fn delete(&mut self, name: &str) -> Result<(usize, Entry), Refused> {
        let i = self
            .position(name)
            .ok_or_else(|| Refused::NotFound(name.to_owned()))?;
        Ok((i, self.entries.remove(i)))
    }

    /// Puts a deleted entry back where it was (Undo of a delete), unless
    /// its name has been taken since.
    pub fn restore(&mut self, at: usize, entry: Entry) -> Result<(), Refused> {
        if self.position(entry.name()).is_some() {
            return Err(Refused::NameTaken(entry.name().to_owned()));
        }
        if self.entries.len() >= MAX_ENTRIES {
            return Err(Refused::Full);
        }
        self.entries.insert(at.min(self.entries.len()), entry);
        Ok(())
    }

    /// Adds entries (an imported library) without losing any saved one: see
    /// [`Merged`]. Entries without a name are named "Untitled".
    pub fn merge(&mut self, incoming: Vec<Entry>) -> Merged {
        let mut merged = Merged::default();
        for mut entry in incoming {
            if entry.name().trim().is_empty() {
                entry.run.scenario.name = "Untitled".into();
            }
            match self.get(entry.name()) {
                Some(saved) if saved.run == entry.run => {
                    merged.identical += 1;
                    continue;
                }
                _ => {}
            }
            if self.entries.len() >= MAX_ENTRIES {
                merged.left_out += 1;
                continue;
            }
            let name = entry.name().trim().to_owned();
            if self.position(&name).is_some() {
                let new_name = self.free_name(&name, "imported");
                merged.renamed.push((name, new_name.clone()));
                entry.run.scenario.name = new_name;
            } else {
                entry.run.scenario.name = name;
            }
            self.entries.push(entry);
            merged.added += 1;
        }
        merged
    }

    /// "BASE (WORD)", else "BASE (WORD 2)", "BASE (WORD 3)", ...: the first
    /// not taken. Some name is free within MAX_ENTRIES + 1 tries.
    fn free_name(&self, base: &str, word: &str) -> String {
        let first = format!("{base} ({word})");
        if self.position(&first).is_none() {
            return first;
        }
        (2..)
            .map(|n| format!("{base} ({word} {n})"))
            .find(|candidate| self.position(candidate).is_none())
            .unwrap_or(first)
    }
}

#[cfg(test)]
pub(crate) fn test_run(name: &str, leads: f64) -> Run {
    let mut run = crate::ui::state::test_run(leads);
    run.scenario.name = name.into();
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(l: &Library) -> Vec<&str> {
        l.entries().iter().map(Entry::name).collect()
    }

    #[test]
    fn saving_adds_then_replaces_by_name() {
        let mut l = Library::default();
        assert_eq!(
            l.save(&test_run("Base", 100.0)),
            Ok(Saved::Added("Base".into()))
        );
        assert_eq!(
            l.save(&test_run("Hire two", 100.0)),
            Ok(Saved::Added("Hire two".into()))
        );
        assert_eq!(
            l.save(&test_run("Base", 100.0)),
            Ok(Saved::Unchanged("Base".into()))
        );
        // The same name in other case and spaces is the same entry.
        assert_eq!(
            l.save(&test_run(" base ", 120.0)),
            Ok(Saved::Replaced("base".into()))
        );
        assert_eq!(l.len(), 2);
        assert_eq!(l.get("BASE").unwrap().run.scenario.leads.per_month, 120.0);
        assert_eq!(l.save(&test_run("  ", 1.0)), Err(Refused::NoName));
    }

    #[test]
    fn duplicate_rename_delete_restore() {
        let mut l = Library::default();
        l.save(&test_run("A", 100.0)).unwrap();
        l.save(&test_run("B", 200.0)).unwrap();
        assert_eq!(l.duplicate("a").unwrap(), "A (copy)");
        assert_eq!(l.duplicate("A").unwrap(), "A (copy 2)");
        assert_eq!(names(&l), ["A", "A (copy 2)", "A (copy)", "B"]);
        assert_eq!(
            l.get("A (copy)").unwrap().run.scenario.leads.per_month,
            100.0
        );
        assert_eq!(
            l.rename("A (copy)", "b"),
            Err(Refused::NameTaken("B".into()))
        );
        assert_eq!(l.rename("A (copy)", " "), Err(Refused::NoName));
        assert_eq!(l.rename("nope", "x"), Err(Refused::NotFound("nope".into())));
        l.rename("A (copy)", "C").unwrap();
        l.rename("C", "c").unwrap();
        assert_eq!(l.get("c").unwrap().run.scenario.name, "c");
        let (at, gone) = l.delete("A (copy 2)").unwrap();
        assert_eq!(names(&l), ["A", "c", "B"]);
        l.restore(at, gone).unwrap();
        assert_eq!(names(&l), ["A", "A (copy 2)", "c", "B"]);
        assert!(l.delete("nope").is_err());
    }

    #[test]
    fn merging_loses_nothing() {
        let mut l = Library::default();
        l.save(&test_run("A", 100.0)).unwrap();
        l.save(&test_run("B", 200.0)).unwrap();
        let merged = l.merge(vec![
            Entry {
                run: test_run("A", 100.0),
            },
            Entry {
                run: test_run("B", 250.0),
            },
            Entry {
                run: test_run("B", 260.0),
            },
            Entry {
                run: test_run("", 1.0),
            },
        ]);
        assert_eq!(merged.identical, 1);
        assert_eq!(merged.added, 3);
        assert_eq!(
            merged.renamed,
            [
                ("B".to_owned(), "B (imported)".to_owned()),
                ("B".to_owned(), "B (imported 2)".to_owned())
            ]
        );
        assert_eq!(
            names(&l),
            ["A", "B", "B (imported)", "B (imported 2)", "Untitled"]
        );
        assert_eq!(l.get("B").unwrap().run.scenario.leads.per_month, 200.0);
        assert_eq!(
            merged.sentence(),
            "Imported 3 scenarios. “B” differs from the saved scenario of that name, so it was added as “B (imported)”. “B” differs from the saved scenario of that name, so it was added as “B (imported 2)”. 1 was already saved as it is."
        );
        assert_eq!(
            l.get("B (imported 2)")
                .unwrap()
                .run
                .scenario
                .leads
                .per_month,
            260.0
        );
    }

    #[test]
    fn a_full_library_refuses_more() {
        let mut l = Library::default();
        for i in 0..MAX_ENTRIES {
            l.save(&test_run(&format!("S{i}"), 100.0)).unwrap();
        }
        assert_eq!(l.save(&test_run("one more", 100.0)), Err(Refused::Full));
        assert_eq!(l.duplicate("S0"), Err(Refused::Full));
        // Replacing an entry still works.
        assert!(matches!(
            l.save(&test_run("S0", 1.0)),
            Ok(Saved::Replaced(_))
        ));
        let merged = l.merge(vec![Entry {
            run: test_run("new", 1.0),
        }]);
        assert_eq!((merged.added, merged.left_out), (0, 1));
        assert_eq!(l.len(), MAX_ENTRIES);
    }
}
