//! The corpus of `selc fuzz`: a directory of scenario files kept between runs,
//! as AFL's queue is. A run starts from what the directory holds, the shipped
//! scenarios and the saved failures it is given; an input that brings a new
//! feature is written there, named by a digest of its text, so two runs (or
//! two workers) that find the same input write one file.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::scenario::Scenario;

/// An input of the corpus.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The scenario (no expectations: the reference judges it afresh).
    pub scenario: Scenario,
    /// Where it came from: its file, or the shipped scenario's path.
    pub origin: String,
}

/// The corpus: its directory, if any, and its entries.
#[derive(Debug, Default)]
pub struct Corpus {
    dir: Option<PathBuf>,
    /// The inputs, in the order they joined.
    pub entries: Vec<Entry>,
    digests: HashSet<u64>,
    /// Files of the directory that are not scenarios, with why.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Entries added by this run.
    pub added: usize,
}

/// A digest of a scenario's text: its file name in the corpus.
pub fn digest(s: &Scenario) -> u64 {
    let mut h = DefaultHasher::new();
    s.to_json_string().hash(&mut h);
    h.finish()
}

fn bare(mut s: Scenario) -> Scenario {
    s.expect_initial = None;
    s.expect = None;
    s
}

/// Every `*.json` file under `dir` (not following links into loops: one
/// level of subdirectories, as `selc-failures/` has).
fn json_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            if let Ok(inner) = std::fs::read_dir(&p) {
                out.extend(
                    inner
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "json")),
                );
            }
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

impl Corpus {
    /// The corpus kept in `dir` (created if missing), or none kept.
    pub fn open(dir: Option<&Path>) -> Result<Corpus, String> {
        let mut c = Corpus {
            dir: dir.map(Path::to_path_buf),
            ..Corpus::default()
        };
        if let Some(d) = dir {
            std::fs::create_dir_all(d).map_err(|e| format!("--corpus {}: {e}", d.display()))?;
            c.load(d)
                .map_err(|e| format!("--corpus {}: {e}", d.display()))?;
        }
        Ok(c)
    }

    /// Add the scenario files under `dir` (saved failures, another corpus) as
    /// entries read, not written.
    pub fn load(&mut self, dir: &Path) -> std::io::Result<usize> {
        let before = self.entries.len();
        for p in json_files(dir)? {
            let text = match std::fs::read_to_string(&p) {
                Ok(t) => t,
                Err(e) => {
                    self.unreadable.push((p, e.to_string()));
                    continue;
                }
            };
            match Scenario::from_json_str(&text) {
                Ok(s) => {
                    self.insert(bare(s), p.display().to_string());
                }
                Err(e) => self.unreadable.push((p, e.to_string())),
            }
        }
        Ok(self.entries.len() - before)
    }

    /// Add the shipped scenarios.
    pub fn seed_shipped(&mut self) {
        for (path, text) in crate::golden::scenarios() {
            if let Ok(s) = Scenario::from_json_str(text) {
                self.insert(bare(s), (*path).to_string());
            }
        }
    }

    fn insert(&mut self, s: Scenario, origin: String) -> bool {
        if !self.digests.insert(digest(&s)) {
            return false;
        }
        self.entries.push(Entry {
            scenario: s,
            origin,
        });
        true
    }

    /// Keep `s`, which brought something new: in memory, and as a file of the
    /// corpus directory. A file that cannot be written is said once on
    /// stderr; the run goes on with the entry in memory.
    pub fn add(&mut self, s: Scenario) {
        let s = bare(s);
        let name = format!("{:016x}.json", digest(&s));
        let origin = match &self.dir {
            Some(d) => {
                let p = d.join(&name);
                if let Err(e) = std::fs::write(&p, s.to_json_string()) {
                    eprintln!("selc fuzz: could not write {}: {e}", p.display());
                }
                p.display().to_string()
            }
            None => name,
        };
        if self.insert(s, origin) {
            self.added += 1;
        }
    }

    /// Its directory.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }
}
