//! Reading a chunk's lines with the points of all its cast ballots decoded together
//! ([`crate::crypto::decode`]: in lanes where the CPU allows), instead of one by one while
//! parsing.

use super::parse_line;
use crate::crypto::decode::decode_elements;
use crate::crypto::group::Element;
use crate::election::encoded::EncodedBallot;
use crate::log::event::Event;
use crate::log::record::{EventLine, LineBody};

/// How a cast event's canonical line starts (`specs/record.md`: keys sorted, no whitespace).
const CAST_PREFIX: &str = r#"{"kind":"cast","payload":"#;

/// Parses `lines` as [`parse_line`] does, line for line, with the same results: a cast line
/// is read with its points as encodings, the points of every such line decoded in one batch,
/// then the ballot built and its line checked to be canonical. Anything that goes wrong on
/// this path (the line is not of that form, a point does not decode, the form is not
/// canonical) sends the line through [`parse_line`], which says what and where. A line longer
/// than its kind's bound was not kept: it is refused unparsed.
pub(super) fn parse_lines(lines: &[EventLine]) -> Vec<Result<Event, String>> {
    let mut out: Vec<Option<Result<Event, String>>> = Vec::with_capacity(lines.len());
    let mut cast: Vec<(usize, &str, EncodedBallot)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let text = match &line.body {
            LineBody::Text(text) => text,
            LineBody::Oversized { bound, .. } => {
                out.push(Some(Err(oversized(line, *bound))));
                continue;
            }
        };
        match encoded_cast(text) {
            Some(ballot) => {
                cast.push((i, text, ballot));
                out.push(None);
            }
            None => out.push(Some(parse_line(text))),
        }
    }
    let mut encodings = Vec::with_capacity(cast.iter().map(|(_, _, b)| b.points()).sum());
    for (_, _, ballot) in &cast {
        ballot.encodings(&mut encodings);
    }
    let mut decoded = decode_elements(&encodings).into_iter();
    for (i, line, ballot) in cast {
        // Exactly this ballot's points, whether or not all decode.
        let points: Vec<Option<Element>> = decoded.by_ref().take(ballot.points()).collect();
        let built = points
            .into_iter()
            .collect::<Option<Vec<Element>>>()
            .map(|points| Event::Cast(Box::new(ballot.build(&mut points.into_iter()))))
            .filter(|event| crate::log::is_canonical(event, line));
        out[i] = Some(built.map_or_else(|| parse_line(line), Ok));
    }
    out.into_iter().map(|r| r.expect("every line parsed")).collect()
}

/// Why a line longer than its kind's bound is refused.
fn oversized(line: &EventLine, bound: u64) -> String {
    match line.kind {
        Some(kind) => format!("{} bytes, longer than a {kind} event can be ({bound} bytes): not parsed", line.len),
        None => {
            format!("{} bytes that do not begin as an event does ({{\"kind\":…), over {bound}: not parsed", line.len)
        }
    }
}

/// The ballot of a cast line in canonical form, its points undecoded.
fn encoded_cast(line: &str) -> Option<EncodedBallot> {
    let payload = line.strip_prefix(CAST_PREFIX)?.strip_suffix('}')?;
    serde_json::from_str(payload).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::group::to_hex;
    use crate::election::ballot::Ballot;
    use crate::election::ballot::tests::election;

    #[test]
    fn same_results_as_parsing_line_by_line() {
        let (params, voters) = election(3);
        let mut rng = rand::rng();
        let marks = vec![vec![1, 0], vec![1, 0, 1]];
        let mut line = |v: usize| {
            let (b, _) = Ballot::encrypt(&params, &voters[v], &marks, &mut rng).unwrap();
            Event::Cast(Box::new(b)).to_leaf()
        };
        let good = line(0);
        let alpha = serde_json::to_value(serde_json::from_str::<Event>(&good).unwrap()).unwrap()["payload"]["contests"]
            [0]["ciphertexts"][1]["alpha"]
            .as_str()
            .unwrap()
            .to_string();
        let not_a_point = good.replace(&alpha, &to_hex(&[0xff; 32]));
        let negative = good.replace(&alpha, &format!("01{}", &"00".repeat(31)));
        let lines: Vec<String> = vec![
            good.clone(),
            not_a_point,
            r#"{"kind":"close"}"#.into(),
            negative,
            line(1),
            format!(r#"{{"payload":{},"kind":"cast"}}"#, &good[CAST_PREFIX.len()..good.len() - 1]),
            good.replace("\"credential\"", " \"credential\""),
            format!("{}x", &good[..good.len() - 1]),
            good.replace(r#""contests":"#, r#""extra":0,"contests":"#),
            line(2),
            "not json".into(),
        ];
        let numbered: Vec<EventLine> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| EventLine {
                index: i as u64,
                len: l.len() as u64,
                kind: crate::log::event::kind_of_line(l.as_bytes()),
                body: LineBody::Text(l.clone()),
            })
            .collect();
        let together = parse_lines(&numbered);
        let alone: Vec<Result<Event, String>> = lines.iter().map(|l| parse_line(l)).collect();
        assert_eq!(together, alone);
        let ok: Vec<bool> = together.iter().map(Result::is_ok).collect();
        assert_eq!(ok, [true, false, true, false, true, false, false, false, false, true, false]);
        assert!(together[1].as_ref().unwrap_err().contains("alpha"), "{:?}", together[1]);
        // A line over its kind's bound, between two cast lines: refused unparsed, in its place.
        let mut with_oversized = numbered;
        with_oversized.insert(
            1,
            EventLine {
                index: 1,
                len: 99,
                kind: Some("cast"),
                body: LineBody::Oversized { bound: 98, leaf_hash: [0; 32] },
            },
        );
        let results = parse_lines(&with_oversized);
        assert_eq!(results.len(), lines.len() + 1);
        assert_eq!(results[1], Err("99 bytes, longer than a cast event can be (98 bytes): not parsed".into()));
        assert_eq!(results[0], alone[0]);
        assert_eq!(results[2..], alone[1..]);
    }
}
