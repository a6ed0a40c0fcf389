//! The words people read, in Kazakh, Russian and English: one set of Project Fluent files per
//! language in `locales/` (`locales/kk/*.ftl`, …), compiled into the binary. Plural forms
//! follow CLDR (Russian: 1 голос, 2 голоса, 5 голосов); terms follow `specs/glossary.md`.
//!
//! Every message exists in every language (a test holds them to the same ids); a message the
//! code asks for and no file has is shown as its id, so a gap is visible, never a panic.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::election::manifest::Lang;

/// The files of one language, in the order they are loaded.
pub const FILES: [&str; 6] = ["verifier.ftl", "findings.ftl", "result.ftl", "page.ftl", "watch.ftl", "cli.ftl"];

/// Each language's files, as compiled in.
pub fn sources(lang: Lang) -> [&'static str; FILES.len()] {
    match lang {
        Lang::En => [
            include_str!("../locales/en/verifier.ftl"),
            include_str!("../locales/en/findings.ftl"),
            include_str!("../locales/en/result.ftl"),
            include_str!("../locales/en/page.ftl"),
            include_str!("../locales/en/watch.ftl"),
            include_str!("../locales/en/cli.ftl"),
        ],
        Lang::Kk => [
            include_str!("../locales/kk/verifier.ftl"),
            include_str!("../locales/kk/findings.ftl"),
            include_str!("../locales/kk/result.ftl"),
            include_str!("../locales/kk/page.ftl"),
            include_str!("../locales/kk/watch.ftl"),
            include_str!("../locales/kk/cli.ftl"),
        ],
        Lang::Ru => [
            include_str!("../locales/ru/verifier.ftl"),
            include_str!("../locales/ru/findings.ftl"),
            include_str!("../locales/ru/result.ftl"),
            include_str!("../locales/ru/page.ftl"),
            include_str!("../locales/ru/watch.ftl"),
            include_str!("../locales/ru/cli.ftl"),
        ],
    }
}

/// The language's tag, as CLDR and the `--lang` options name it.
pub fn tag(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Kk => "kk",
        Lang::Ru => "ru",
    }
}

/// One language's messages.
pub struct Words {
    bundle: FluentBundle<FluentResource>,
}

impl Words {
    /// The messages of `lang`, loaded once.
    pub fn of(lang: Lang) -> &'static Words {
        static LOADED: [OnceLock<Words>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let slot = match lang {
            Lang::En => 0,
            Lang::Kk => 1,
            Lang::Ru => 2,
        };
        LOADED[slot].get_or_init(|| Words::load(lang))
    }

    fn load(lang: Lang) -> Words {
        let id = tag(lang).parse().expect("en, kk and ru are language tags");
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Unicode isolation marks around arguments would show in terminals and files.
        bundle.set_use_isolating(false);
        for (file, text) in FILES.iter().zip(sources(lang)) {
            // The files are part of the source; their syntax is tested (tests/locale.rs), so
            // a resource with errors keeps what parsed rather than failing a verification.
            let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(partial, _)| partial);
            if bundle.add_resource(resource).is_err() {
                debug_assert!(false, "locales/{}/{file}: a message defined twice", tag(lang));
            }
        }
        Words { bundle }
    }

    /// The message `id` without arguments.
    pub fn get(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with its arguments.
    pub fn with(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        self.format(id, Some(&fluent))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut errors = Vec::new();
        self.bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// Whether the message `id` exists.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// `x` with `places` decimals and the language's decimal separator (a comma in Kazakh and
    /// Russian).
    pub fn decimal(&self, x: f64, places: usize) -> String {
        format!("{x:.places$}").replace('.', &self.get("decimal-separator"))
    }
}
