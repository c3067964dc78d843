//! Design-pattern findings for every host: which role patterns an engine selects, and one
//! finding record per participant of each instance they have in a project.
//!
//! The CLI's scan, the bindings and the language server all report design patterns through
//! this module, so the selection (the engine's profile: role patterns are `info`, off unless
//! selected) and the records are made once. [`DesignProject`] is the host-facing form: a host
//! adds its documents (path and text), asks for [`DesignProject::findings`], and gets
//! [`FindingRecord`]s with `instance` and `role` set, like the CLI's JSON. The model is built
//! only when the engine selects a role pattern; otherwise nothing is parsed for it.
//!
//! ```
//! use codetable::{Engine, Language, PatternDb};
//! use codetable::project::design::DesignProject;
//!
//! let engine = Engine::new(PatternDb::default_catalog());
//! engine.select(&["design.gof.observer".into()], &[])?;
//! let mut p = DesignProject::new();
//! p.set_document(&engine, "Listener.java", Language::Java, "interface Listener { void fired(); }")?;
//! p.set_document(&engine, "Log.java", Language::Java, "class Log implements Listener { public void fired() {} }")?;
//! p.set_document(&engine, "Button.java", Language::Java,
//!     "class Button {\n  java.util.List<Listener> ls;\n  void on(Listener l) { ls.add(l); } void off(Listener l) { ls.remove(l); }\n  void click() { for (Listener l : ls) l.fired(); }\n}")?;
//! let roles: Vec<_> = p.findings(&engine)?.into_iter().map(|r| r.role.unwrap()).collect();
//! assert_eq!(roles, ["observer", "subject", "concrete-observer"]);
//! # Ok::<(), codetable::Error>(())
//! ```

use std::collections::BTreeMap;

use super::roles::{Instance, RolePattern};
use super::{role_patterns, Project};
use crate::document::Document;
use crate::engine::Engine;
use crate::language::Language;
use crate::text::{LineIndex, OffsetUnit};
use crate::view::{FindingRecord, InstanceView};

/// The role patterns of the engine's database that its profile selects (all of them when the
/// engine has no profile). Empty when none is selected: a host then builds no model.
pub fn selected_role_patterns(engine: &Engine) -> crate::Result<Vec<RolePattern>> {
    let roles = role_patterns(engine.db())?;
    let Some(profile) = engine.profile() else {
        return Ok(roles);
    };
    let mut kept = Vec::new();
    for r in roles {
        if let Some((n, _)) = engine.db().by_id(&r.id)? {
            if profile.selects(&*engine.sheet(n)?) {
                kept.push(r);
            }
        }
    }
    Ok(kept)
}

/// One participant's finding: the pattern's number in the engine's database and the record.
#[derive(Clone, Debug, PartialEq)]
pub struct DesignFinding {
    /// The pattern's number in the database.
    pub pattern: u32,
    /// The finding (its `instance` and `role` say which instance and role).
    pub record: FindingRecord,
}

/// The findings of `instances` (from [`Project::recognise`] on `project`), instance by
/// instance and role by role. `text` gives a document's text and display path by its project
/// key; participants of documents it does not know are left out, and so are patterns the
/// engine's database lacks.
pub fn design_findings<'t>(
    engine: &Engine,
    project: &Project,
    instances: &[Instance],
    text: impl Fn(&str) -> Option<(&'t str, Option<&'t str>)>,
) -> crate::Result<Vec<DesignFinding>> {
    let mut out: Vec<DesignFinding> = Vec::new();
    for i in instances {
        let Some((number, _)) = engine.db().by_id(&i.pattern)? else {
            continue;
        };
        let sheet = engine.sheet(number)?;
        out.extend(
            i.records(project, &sheet, &text)
                .into_iter()
                .map(|record| DesignFinding {
                    pattern: number,
                    record,
                }),
        );
    }
    // Each participant's finding lists the whole instance.
    let mut records: Vec<FindingRecord> = out.iter().map(|f| f.record.clone()).collect();
    crate::view::link_participants(&mut records);
    for (f, r) in out.iter_mut().zip(records) {
        f.record = r;
    }
    Ok(out)
}

/// A host's project for design patterns: documents by path, their declarations and texts.
///
/// [`DesignProject::set_document`] replaces a document's contribution (the model is
/// incremental, see [`Project`]); it parses only when the engine selects a role pattern.
#[derive(Clone, Debug, Default)]
pub struct DesignProject {
    project: Project,
    texts: BTreeMap<String, (String, LineIndex)>,
}

impl DesignProject {
    /// An empty project.
    pub fn new() -> DesignProject {
        DesignProject::default()
    }

    /// Adds or replaces the document at `path` (its key and display path). Nothing is parsed
    /// when `engine` selects no role pattern. Errors when the text cannot be parsed.
    pub fn set_document(
        &mut self,
        engine: &Engine,
        path: &str,
        language: Language,
        text: &str,
    ) -> crate::Result<()> {
        if selected_role_patterns(engine)?.is_empty() {
            self.remove_document(path);
            return Ok(());
        }
        let doc = Document::new(language, text)?;
        self.project.set_document(path, &doc);
        self.texts
            .insert(path.to_string(), (text.to_string(), LineIndex::new(text)));
        Ok(())
    }

    /// Parses every held document again from its text and rebuilds the model (what a host
    /// calls when a failure may have left the project half-updated). A document that no longer
    /// parses is dropped.
    pub fn rebuild(&mut self) {
        let mut project = Project::new();
        let mut texts = BTreeMap::new();
        for (path, (text, lines)) in std::mem::take(&mut self.texts) {
            let Some(language) = self.project.document(&path).map(|m| m.language) else {
                continue;
            };
            if let Ok(doc) = Document::new(language, text.as_str()) {
                project.set_document(&path, &doc);
                texts.insert(path, (text, lines));
            }
        }
        self.project = project;
        self.texts = texts;
    }

    /// Removes the document at `path`; false when there was none.
    pub fn remove_document(&mut self, path: &str) -> bool {
        self.texts.remove(path);
        self.project.remove_document(path)
    }

    /// The model of the documents added so far.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// One finding per participant of every instance of the role patterns `engine` selects.
    pub fn findings(&self, engine: &Engine) -> crate::Result<Vec<FindingRecord>> {
        let patterns = selected_role_patterns(engine)?;
        if patterns.is_empty() {
            return Ok(Vec::new());
        }
        let instances = self.project.recognise(&patterns);
        let found = design_findings(engine, &self.project, &instances, |key| {
            self.texts
                .get_key_value(key)
                .map(|(k, (t, _))| (t.as_str(), Some(k.as_str())))
        })?;
        Ok(found.into_iter().map(|f| f.record).collect())
    }

    /// The instances [`DesignProject::findings`] reports, each with its pattern's summary and
    /// every participant (role, type, place).
    pub fn instances(&self, engine: &Engine) -> crate::Result<Vec<InstanceView>> {
        let records = self.findings(engine)?;
        Ok(InstanceView::of_records(&records, |id| {
            engine
                .db()
                .by_id(id)
                .ok()
                .flatten()
                .and_then(|(n, _)| engine.sheet(n).ok())
                .map(|s| s.summary.clone())
                .unwrap_or_default()
        }))
    }

    /// The paths of the documents held, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }

    /// The text of the document at `path`, if held.
    pub fn text(&self, path: &str) -> Option<&str> {
        self.texts.get(path).map(|(t, _)| t.as_str())
    }

    /// The zero-based line and column (counted in `unit`) of a byte offset of the document at
    /// `path`; `None` when the document is not held.
    pub fn position(
        &self,
        path: &str,
        byte: usize,
        unit: OffsetUnit,
    ) -> Option<crate::unit::Position> {
        let (text, lines) = self.texts.get(path)?;
        Some(lines.position_in(text, byte.min(text.len()), unit))
    }

    /// Converts a byte offset of the document at `path` (a finding's or participant's
    /// `byte_start`/`byte_end`) to a host's `unit`; `None` when the document is not held.
    ///
    /// ```
    /// use codetable::OffsetUnit;
    /// use codetable::{Engine, Language, PatternDb};
    /// use codetable::project::design::DesignProject;
    ///
    /// let engine = Engine::new(PatternDb::default_catalog());
    /// let mut p = DesignProject::new();
    /// p.set_document(&engine, "a.py", Language::Python, "# é😀\nclass A: pass\n")?;
    /// let byte = p.text("a.py").unwrap().find("class").unwrap();
    /// assert_eq!(p.to_host("a.py", byte, OffsetUnit::Utf16), Some(6));
    /// assert_eq!(p.to_host("a.py", byte, OffsetUnit::CodePoint), Some(5));
    /// # Ok::<(), codetable::Error>(())
    /// ```
    pub fn to_host(&self, path: &str, byte: usize, unit: OffsetUnit) -> Option<usize> {
        let (text, lines) = self.texts.get(path)?;
        Some(match unit {
            OffsetUnit::Byte => byte.min(text.len()),
            unit => lines.from_byte(text, byte, unit),
        })
    }
}
