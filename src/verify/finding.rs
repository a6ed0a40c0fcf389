//! What a check found, as data: a failure, the reason a check did not run, or a note. Each
//! is one message of `locales/*/findings.ftl` (its `code`) with named arguments, so that the
//! report says it in the observer's language and the JSON report gives its fields: where
//! (`item`: the event, trustee, contest, option…), what was `expected` and what was `found`
//! (`specs/verifier.md` §4).
//!
//! Labels, ids and numbers from the record are arguments, never translated. A lower layer's
//! explanation (a decoding or proof error of `crypto`, `election` or `log`) is the argument
//! `reason`, in English: the message around it says, in each language, what failed and where.

use std::fmt;

use fluent_bundle::FluentValue;
use serde_json::{Map, Value, json};

use crate::election::manifest::{Label, Lang, Manifest};
use crate::locale::Words;

/// One argument of a finding's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Number(u64),
    Text(String),
    /// A contest or option of the manifest: its label in each language, its id for machines
    /// (and, with `with_id`, for people too: titles can repeat across districts).
    Named {
        id: String,
        label: Label,
        with_id: bool,
    },
    /// Words of the report's own: another message of `findings.ftl`, by id (a phase of the
    /// election, an outcome's description).
    Message(&'static str),
    /// Words made for each language (an outcome described with the manifest's labels).
    Words(Label),
    /// Another finding, said inside this one (why a receipt's ballot was refused).
    Finding(Box<Finding>),
}

impl Arg {
    fn said(&self, lang: Lang) -> FluentValue<'_> {
        match self {
            Arg::Number(n) => FluentValue::from(*n),
            Arg::Text(s) => FluentValue::from(s.as_str()),
            Arg::Named { id, label, with_id } => {
                let (open, close) = if lang == Lang::En { ('"', '"') } else { ('«', '»') };
                let id = if *with_id { format!(" ({id})") } else { String::new() };
                FluentValue::from(format!("{open}{}{close}{id}", label.get(lang)))
            }
            Arg::Message(id) => FluentValue::from(Words::of(lang).get(id)),
            Arg::Words(label) => FluentValue::from(label.get(lang).to_string()),
            Arg::Finding(f) => FluentValue::from(f.in_lang(lang)),
        }
    }

    fn json(&self) -> Value {
        match self {
            Arg::Number(n) => json!(n),
            Arg::Text(s) | Arg::Named { id: s, .. } => json!(s),
            Arg::Message(id) => json!(Words::of(Lang::En).get(id)),
            Arg::Words(label) => json!(label.en),
            Arg::Finding(f) => f.json(Lang::En),
        }
    }
}

impl From<u64> for Arg {
    fn from(n: u64) -> Self {
        Arg::Number(n)
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Self {
        Arg::Number(n.into())
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Number(n as u64)
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<Finding> for Arg {
    fn from(f: Finding) -> Self {
        Arg::Finding(Box::new(f))
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}

/// Arguments that say what was compared, not where: outside the JSON `item`.
const COMPARED: [&str; 3] = ["expected", "found", "reason"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The message id in `locales/*/findings.ftl`, and the JSON report's `code`.
    pub code: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Finding {
    pub fn new(code: &'static str) -> Self {
        Finding { code, args: Vec::new() }
    }

    /// The argument `name`.
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// The event (its index in the log, counted from 0) the finding is about.
    pub fn event(self, index: u64) -> Self {
        self.arg("event", index)
    }

    /// The trustee (by seat number) the finding is about.
    pub fn trustee(self, number: u32) -> Self {
        self.arg("trustee", number)
    }

    /// The contest at `contest` in the manifest (by its title and id).
    pub fn contest(self, manifest: &Manifest, contest: usize) -> Self {
        match manifest.contests.get(contest) {
            Some(c) => self.arg("contest", Arg::Named { id: c.id.clone(), label: c.title.clone(), with_id: true }),
            None => self.arg("contest", contest),
        }
    }

    /// The option `option` of the contest at `contest` (by their labels and ids).
    pub fn option(self, manifest: &Manifest, contest: usize, option: usize) -> Self {
        let named = manifest.contests.get(contest).and_then(|c| c.options.get(option));
        let f = self.contest(manifest, contest);
        match named {
            Some(o) => f.arg("option", Arg::Named { id: o.id.clone(), label: o.label.clone(), with_id: false }),
            None => f.arg("option", option),
        }
    }

    /// What the check expected to find.
    pub fn expected(self, value: impl Into<Arg>) -> Self {
        self.arg("expected", value)
    }

    /// What the check found instead.
    pub fn found(self, value: impl Into<Arg>) -> Self {
        self.arg("found", value)
    }

    /// A lower layer's explanation (English).
    pub fn reason(self, why: impl fmt::Display) -> Self {
        self.arg("reason", why.to_string())
    }

    /// The argument `name`, if the finding has it.
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The finding in `lang`.
    pub fn in_lang(&self, lang: Lang) -> String {
        let args: Vec<(&str, FluentValue<'_>)> = self.args.iter().map(|(name, a)| (*name, a.said(lang))).collect();
        Words::of(lang).with(self.code, &args)
    }

    /// The finding for machines: `{"code", "message", "item": {…}, "expected", "found",
    /// "reason"}` (the last three only where the finding has them).
    pub fn json(&self, lang: Lang) -> Value {
        let value = Arg::json;
        let item: Map<String, Value> = self
            .args
            .iter()
            .filter(|(name, _)| !COMPARED.contains(name))
            .map(|(name, a)| (name.to_string(), value(a)))
            .collect();
        let mut out = Map::new();
        out.insert("code".into(), json!(self.code));
        out.insert("message".into(), json!(self.in_lang(lang)));
        out.insert("item".into(), Value::Object(item));
        for name in COMPARED {
            if let Some(a) = self.get(name) {
                out.insert(name.into(), value(a));
            }
        }
        Value::Object(out)
    }
}

/// The finding in English.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.in_lang(Lang::En))
    }
}

/// Numbers written out in a finding's message: "1, 3 and 5" is for people, the JSON keeps the
/// list as text too (it is a list of trustees or sizes, not a measured value).
pub fn list<T: fmt::Display>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_says_what_and_where_in_each_language_and_its_fields_for_machines() {
        let f = Finding::new("fail-second-roll").event(7);
        assert_eq!(f.to_string(), "event 7: a second roll");
        for lang in [Lang::Kk, Lang::Ru] {
            let said = f.in_lang(lang);
            assert!(said.contains('7') && said != f.code && said != f.to_string(), "{lang:?}: {said}");
        }
        let j = Finding::new("fail-count").arg("option", "Party A").expected(570u64).found(571u64).json(Lang::En);
        assert_eq!(j["code"], "fail-count");
        assert_eq!(j["item"], json!({"option": "Party A"}));
        assert_eq!((j["expected"].clone(), j["found"].clone()), (json!(570), json!(571)));
        assert!(j.get("reason").is_none());
    }
}
