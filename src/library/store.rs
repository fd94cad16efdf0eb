//! Where the library is kept, behind a two-call trait: the browser's
//! localStorage on the page (`browser::LocalStore`), a map in tests. The
//! `Shelf` is the library with what the page knows of its keeping: kept,
//! no storage at all, a write refused (full), or a stored text that did
//! not read (set aside under `BACKUP_KEY`, never overwritten unseen).

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::library::file::{self, LibraryFileError};
use crate::library::{Library, Refused};

/// The storage key of the library (its text is a library file).
pub const KEY: &str = "funnel-simulator.library";
/// Where a stored library that could not be read is set aside.
pub const BACKUP_KEY: &str = "funnel-simulator.library.unreadable";

/// Why storage failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// No storage at all: a sandboxed frame, storage turned off, or a
    /// browser that throws on every access (some private modes).
    Unavailable,
    /// The browser refused the write: its quota for this site is used up.
    Full,
}

/// Two calls: all the library needs of a key-value store.
pub trait Store {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError>;
}

/// How the library stands with its storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Keeping {
    /// Stored: it survives a reload.
    Kept,
    /// This page has no storage: the library lives until the page closes.
    Unavailable,
    /// The last change could not be stored (the storage is full).
    NotKept,
    /// What was stored did not read as a library; it was set aside and
    /// the library started empty.
    SetAside(LibraryFileError),
}

impl Keeping {
    /// What the library panel says about it, in plain words.
    pub fn sentence(&self) -> &'static str {
        match self {
            Keeping::Kept => "Saved scenarios stay in this browser only; nothing is sent anywhere.",
            Keeping::Unavailable => {
                "This page cannot use the browser's storage (it is in a sandboxed frame, or storage is turned off or private). Saved scenarios last until you close the page: export the library to keep them."
            }
            Keeping::NotKept => {
                "The browser's storage for this site is full, so the latest change is not kept after a reload. Export the library to keep it, or delete scenarios you no longer need."
            }
            Keeping::SetAside(_) => {
                "The library stored in this browser could not be read, so it was set aside unchanged and the library started empty."
            }
        }
    }

    pub fn is_kept(&self) -> bool {
        matches!(self, Keeping::Kept | Keeping::SetAside(_))
    }
}

/// The library and how it is kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Shelf {
    pub library: Library,
    pub keeping: Keeping,
}

impl Shelf {
    /// The library as stored (empty when nothing is).
    pub fn open(store: &dyn Store) -> Shelf {
        match store.get(KEY) {
            Err(_) => Shelf {
                library: Library::default(),
                keeping: Keeping::Unavailable,
            },
            Ok(None) => Shelf {
                library: Library::default(),
                keeping: Keeping::Kept,
            },
            Ok(Some(text)) => match file::read(&text) {
                Ok(entries) => Shelf {
                    library: Library::from_entries(entries),
                    keeping: Keeping::Kept,
                },
                Err(problems) => {
                    // Keep an earlier unreadable copy rather than overwrite it.
                    let free = matches!(store.get(BACKUP_KEY), Ok(None));
                    let saved = !free || store.set(BACKUP_KEY, &text).is_ok();
                    Shelf {
                        library: Library::default(),
                        keeping: if saved {
                            Keeping::SetAside(problems)
                        } else {
                            Keeping::NotKept
                        },
                    }
                }
            },
        }
    }

    /// Applies `change` to the library as stored now (another tab may have
    /// saved since this one read it) and stores the result. The change's
    /// own refusal leaves everything as it was.
    pub fn change<T>(
        &mut self,
        store: &dyn Store,
        change: impl FnOnce(&mut Library) -> Result<T, Refused>,
    ) -> Result<T, Refused> {
        if self.keeping == Keeping::Kept {
            let fresh = Shelf::open(store);
            if fresh.keeping == Keeping::Kept {
                self.library = fresh.library;
            }
        }
        let mut library = self.library.clone();
        let out = change(&mut library)?;
        self.library = library;
        self.keep(store);
        Ok(out)
    }

    /// Stores the library, noting whether it could be.
    fn keep(&mut self, store: &dyn Store) {
        self.keeping = match store.set(KEY, &file::write(self.library.entries())) {
            Ok(()) => Keeping::Kept,
            Err(StoreError::Unavailable) => Keeping::Unavailable,
            Err(StoreError::Full) => Keeping::NotKept,
        };
    }
}

/// A store in memory, for tests: it can be made unavailable or full.
#[derive(Default)]
pub struct MemoryStore {
    pub map: RefCell<BTreeMap<String, String>>,
    pub unavailable: bool,
    /// Writes longer than this fail as full.
    pub quota: Option<usize>,
}

impl Store for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        if self.unavailable {
            return Err(StoreError::Unavailable);
        }
        Ok(self.map.borrow().get(key).cloned())
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        if self.unavailable {
            return Err(StoreError::Unavailable);
        }
        if self.quota.is_some_and(|q| value.len() > q) {
            return Err(StoreError::Full);
        }
        self.map.borrow_mut().insert(key.into(), value.into());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::test_run;

    #[test]
    fn the_library_survives_a_reload() {
        let store = MemoryStore::default();
        let mut shelf = Shelf::open(&store);
        assert_eq!(shelf.keeping, Keeping::Kept);
        shelf
            .change(&store, |l| l.save(&test_run("A", 100.0)))
            .unwrap();
        shelf
            .change(&store, |l| l.save(&test_run("B", 200.0)))
            .unwrap();
        let reloaded = Shelf::open(&store);
        assert_eq!(reloaded, shelf);
        assert_eq!(reloaded.library.len(), 2);
    }

    #[test]
    fn a_change_builds_on_what_another_tab_stored() {
        let store = MemoryStore::default();
        let mut one = Shelf::open(&store);
        let mut two = Shelf::open(&store);
        one.change(&store, |l| l.save(&test_run("From one", 1.0)))
            .unwrap();
        two.change(&store, |l| l.save(&test_run("From two", 2.0)))
            .unwrap();
        assert_eq!(Shelf::open(&store).library.len(), 2);
    }

    #[test]
    fn without_storage_the_library_still_works_for_the_page() {
        let store = MemoryStore {
            unavailable: true,
            ..Default::default()
        };
        let mut shelf = Shelf::open(&store);
        assert_eq!(shelf.keeping, Keeping::Unavailable);
        assert!(shelf.keeping.sentence().contains("sandboxed frame"));
        shelf
            .change(&store, |l| l.save(&test_run("A", 100.0)))
            .unwrap();
        shelf.change(&store, |l| l.duplicate("A")).unwrap();
        assert_eq!(shelf.library.len(), 2);
        assert_eq!(shelf.keeping, Keeping::Unavailable);
    }

    #[test]
    fn a_full_storage_is_said_and_the_change_stays_on_the_page() {
        let store = MemoryStore::default();
        let mut shelf = Shelf::open(&store);
        shelf
            .change(&store, |l| l.save(&test_run("A", 100.0)))
            .unwrap();
        let stored = store.map.borrow().get(KEY).cloned().unwrap();
        let store = MemoryStore {
            map: RefCell::new(store.map.take()),
            quota: Some(stored.len() + 10),
            ..Default::default()
        };
        shelf
            .change(&store, |l| l.save(&test_run("B", 200.0)))
            .unwrap();
        assert_eq!(shelf.keeping, Keeping::NotKept);
        assert_eq!(shelf.library.len(), 2, "the page keeps the change");
        // A refused change leaves everything as it was.
        let before = shelf.clone();
        assert!(shelf.change(&store, |l| l.rename("A", "B")).is_err());
        assert_eq!(shelf, before);
        // What is stored is the last library that fitted.
        assert_eq!(Shelf::open(&store).library.len(), 1);
    }

    #[test]
    fn an_unreadable_stored_library_is_set_aside_not_lost() {
        let store = MemoryStore::default();
        store
            .set(KEY, "{\"library\": \"funnel-simulator\", \"vers")
            .unwrap();
        let mut shelf = Shelf::open(&store);
        assert!(matches!(shelf.keeping, Keeping::SetAside(_)));
        assert!(shelf.library.is_empty());
        assert_eq!(
            store.get(BACKUP_KEY).unwrap().as_deref(),
            Some("{\"library\": \"funnel-simulator\", \"vers")
        );
        // Saving starts a new library; the copy set aside stays.
        shelf
            .change(&store, |l| l.save(&test_run("A", 1.0)))
            .unwrap();
        assert_eq!(shelf.keeping, Keeping::Kept);
        store.set(KEY, "also broken").unwrap();
        let _ = Shelf::open(&store);
        assert_eq!(
            store.get(BACKUP_KEY).unwrap().as_deref(),
            Some("{\"library\": \"funnel-simulator\", \"vers"),
            "the first copy set aside is not overwritten"
        );
    }
}
