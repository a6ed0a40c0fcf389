//! The words people read (`locales/`): every language has every message, plurals follow CLDR,
//! numbers use the language's decimal separator, and the terms of `specs/glossary.md` hold.

use dauys::election::manifest::Lang;
use dauys::locale::{FILES, Words, sources, tag};
use dauys::verify::Check;
use fluent_syntax::ast::Entry;

const LANGS: [Lang; 3] = [Lang::En, Lang::Kk, Lang::Ru];

/// The message ids of one file, in order; panics on a syntax error, naming the file.
fn ids(lang: Lang, file: usize) -> Vec<String> {
    let text = sources(lang)[file];
    let resource = fluent_syntax::parser::parse(text)
        .unwrap_or_else(|(_, errors)| panic!("locales/{}/{}: {errors:?}", tag(lang), FILES[file]));
    resource
        .body
        .iter()
        .filter_map(|e| match e {
            Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_language_has_every_message_and_no_syntax_error() {
    for (file, name) in FILES.iter().enumerate() {
        let english = ids(Lang::En, file);
        assert!(!english.is_empty());
        for lang in [Lang::Kk, Lang::Ru] {
            let mut theirs = ids(lang, file);
            let mut ours = english.clone();
            theirs.sort();
            ours.sort();
            assert_eq!(theirs, ours, "locales/{}/{name} against locales/en", tag(lang));
        }
    }
}

#[test]
fn every_check_has_a_name_in_every_language() {
    let mut all = Check::ALL.to_vec();
    all.extend([Check::ObserverCheckpoint, Check::Receipt, Check::Witnesses]);
    for lang in LANGS {
        for c in &all {
            let id = format!("check-{}", c.id().replace('.', "-"));
            assert!(Words::of(lang).has(&id), "{id} in {}", tag(lang));
            assert_ne!(c.name(lang), id);
        }
    }
}

#[test]
fn a_missing_message_shows_its_id() {
    assert_eq!(Words::of(Lang::Ru).get("no-such-message"), "no-such-message");
}

#[test]
fn russian_plurals_follow_cldr() {
    let w = Words::of(Lang::Ru);
    let votes = |n: u64| w.with("result-votes", &[("n", n.into())]);
    let seats = |n: u64| w.with("result-seats", &[("n", n.into())]);
    for (n, word) in [
        (1, "голос"),
        (2, "голоса"),
        (4, "голоса"),
        (5, "голосов"),
        (11, "голосов"),
        (21, "голос"),
        (22, "голоса"),
        (0, "голосов"),
        (112, "голосов"),
    ] {
        assert_eq!(votes(n), word, "{n}");
    }
    for (n, word) in [(1, "место"), (3, "места"), (5, "мест"), (69, "мест"), (101, "место")] {
        assert_eq!(seats(n), word, "{n}");
    }
    let en = Words::of(Lang::En);
    assert_eq!(en.with("result-votes", &[("n", 1u64.into())]), "vote");
    assert_eq!(en.with("result-votes", &[("n", 2u64.into())]), "votes");
}

#[test]
fn decimal_comma_in_kazakh_and_russian() {
    assert_eq!(Words::of(Lang::Ru).decimal(57.0, 2), "57,00");
    assert_eq!(Words::of(Lang::Kk).decimal(1.239, 2), "1,24");
    assert_eq!(Words::of(Lang::En).decimal(57.0, 2), "57.00");
}

/// Words that mean something else in election law (`specs/glossary.md`): a candidate's proxy,
/// a spoilt paper, an initiative, a sports contest, a roll by another name, an issued ballot,
/// going too far, the commission's approved ballot form, a commission's protocol.
#[test]
fn no_term_that_means_something_else_in_election_law() {
    let wrong = [
        ("доверенн", "a candidate's proxy: a key trustee is «хранитель ключа»"),
        ("сенім білдір", "a candidate's proxy: a key trustee is «кілт сақтаушы»"),
        ("испорч", "a spoilt paper: a challenged ballot is «вскрыт для проверки»"),
        ("бүлінген", "a spoilt paper: a challenged ballot is «тексеру үшін ашылды»"),
        ("бастамасы", "an initiative: a log's prefix is «бастапқы бөлігі»"),
        ("сайыс", "a sports contest"),
        ("қайта дауыс беру", "a re-vote, not a runoff: «екінші тур»; re-vote is «дауысты қайта беру»"),
        ("список граждан", "the roll is «список избирателей», as in the election law"),
        ("азаматтар тізімі", "the roll is «сайлаушылар тізімі», as in the election law"),
        ("берілген бюллетень", "ballots issued to voters: a cast ballot is «тапсырылған бюллетень»"),
        ("шектен өт", "«went too far»: a party «шекті еңсерді»"),
        ("форма бюллетеня", "the CEC-approved ballot form: a ballot style is «вид бюллетеня»"),
        ("бюллетень нысан", "the CEC-approved ballot form: a ballot style is «бюллетень түрі»"),
        ("протокол", "a commission's protocol of the count: dauys's steps are «правила dauys»"),
        ("хаттама", "a commission's protocol of the count: dauys's steps are «dauys ережелері»"),
    ];
    for lang in [Lang::Kk, Lang::Ru] {
        for (file, text) in FILES.iter().zip(sources(lang)) {
            for (word, why) in wrong {
                // «дауысты қайта беру» (re-vote) is right; «қайта дауыс беру» alone is not.
                assert!(!text.contains(word), "locales/{}/{file} has «{word}»: {why}", tag(lang));
            }
        }
    }
}

/// The variables a pattern refers to: (printed in its text, used at all, as selectors too).
type Variables = (std::collections::BTreeSet<String>, std::collections::BTreeSet<String>);

fn variables(pattern: &fluent_syntax::ast::Pattern<&str>, out: &mut Variables) {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
    fn inline(e: &InlineExpression<&str>, printed: bool, out: &mut Variables) {
        match e {
            InlineExpression::VariableReference { id } => {
                if printed {
                    out.0.insert(id.name.to_string());
                }
                out.1.insert(id.name.to_string());
            }
            InlineExpression::Placeable { expression } => expression_vars(expression, out),
            _ => {}
        }
    }
    fn expression_vars(e: &Expression<&str>, out: &mut Variables) {
        match e {
            Expression::Inline(i) => inline(i, true, out),
            Expression::Select { selector, variants } => {
                inline(selector, false, out);
                for v in variants {
                    variables(&v.value, out);
                }
            }
        }
    }
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_vars(expression, out);
        }
    }
}

/// Each message's variables, by id, in one language's files.
fn variables_by_id(lang: Lang) -> std::collections::BTreeMap<String, Variables> {
    let mut out = std::collections::BTreeMap::new();
    for text in sources(lang) {
        let resource = fluent_syntax::parser::parse(text).unwrap_or_else(|(r, _)| r);
        for entry in &resource.body {
            if let Entry::Message(m) = entry
                && let Some(value) = &m.value
            {
                let mut vars = Variables::default();
                variables(value, &mut vars);
                out.insert(m.id.name.to_string(), vars);
            }
        }
    }
    out
}

/// A translation says every number, name and place the English says (a Kazakh failure line
/// without `$event` would not say where), and uses no variable the code does not pass. Only a
/// variable that English uses to choose a plural form may go unused (Kazakh nouns after a
/// numeral do not change).
#[test]
fn every_language_uses_the_same_variables_in_each_message() {
    let english = variables_by_id(Lang::En);
    for lang in [Lang::Kk, Lang::Ru] {
        let theirs = variables_by_id(lang);
        for (id, (printed, all)) in &english {
            let (their_printed, their_all) = theirs.get(id).unwrap_or_else(|| panic!("{id} in locales/{}", tag(lang)));
            assert!(
                printed.is_subset(their_printed),
                "{id} in locales/{}: prints {their_printed:?}, not all of {printed:?}",
                tag(lang)
            );
            assert!(their_all.is_subset(all), "{id} in locales/{}: uses {their_all:?}, beyond {all:?}", tag(lang));
        }
    }
}

/// Every finding the verifier's code names has a message in `findings.ftl`, and every message
/// there is named by the code (`specs/verifier.md` §4: the codes are the JSON report's).
#[test]
fn every_finding_code_has_its_message_and_every_message_its_code() {
    let mut named = std::collections::BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src/verify"))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for literal in text.split('"').skip(1).step_by(2) {
                let prefixed =
                    ["fail-", "skip-", "note-", "refused-", "style-", "phase-"].iter().any(|p| literal.starts_with(p));
                if prefixed && literal.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                    named.insert(literal.to_string());
                }
            }
        }
    }
    let file = FILES.iter().position(|f| *f == "findings.ftl").expect("findings.ftl is loaded");
    let messages: std::collections::BTreeSet<String> = ids(Lang::En, file).into_iter().collect();
    // The unit tests' own codes are among the messages; the code names no message that is not.
    assert_eq!(
        named.difference(&messages).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "named in src/verify, no message"
    );
    assert_eq!(messages.difference(&named).collect::<Vec<_>>(), Vec::<&String>::new(), "a message no code names");
}

#[test]
fn every_check_says_what_its_failure_means_in_every_language() {
    let mut all = Check::ALL.to_vec();
    all.extend([Check::ObserverCheckpoint, Check::Receipt, Check::Witnesses]);
    for lang in LANGS {
        for c in &all {
            assert!(Words::of(lang).has(&c.meaning_id()), "{} in {}", c.meaning_id(), tag(lang));
        }
    }
}
