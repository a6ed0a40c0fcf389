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
