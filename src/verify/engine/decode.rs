//! Reading a chunk's lines with the points of all its cast ballots decoded together
//! ([`crate::crypto::decode`]: in lanes where the CPU allows), instead of one by one while
//! parsing.

use super::parse_line;
use crate::crypto::decode::decode_elements;
use crate::crypto::group::Element;
use crate::election::encoded::EncodedBallot;
use crate::log::event::Event;

/// How a cast event's canonical line starts (`specs/record.md`: keys sorted, no whitespace).
const CAST_PREFIX: &str = r#"{"kind":"cast","payload":"#;

/// Parses `lines` as [`parse_line`] does, line for line, with the same results: a cast line
/// is read with its points as encodings, the points of every such line decoded in one batch,
/// then the ballot built and its line checked to be canonical. Anything that goes wrong on
/// this path (the line is not of that form, a point does not decode, the form is not
/// canonical) sends the line through [`parse_line`], which says what and where.
pub(super) fn parse_lines(lines: &[(u64, String)]) -> Vec<Result<Event, String>> {
    let mut out: Vec<Option<Result<Event, String>>> = Vec::with_capacity(lines.len());
    let mut cast: Vec<(usize, EncodedBallot)> = Vec::new();
    for (i, (_, line)) in lines.iter().enumerate() {
        match encoded_cast(line) {
            Some(ballot) => {
                cast.push((i, ballot));
                out.push(None);
            }
            None => out.push(Some(parse_line(line))),
        }
    }
    let mut encodings = Vec::with_capacity(cast.iter().map(|(_, b)| b.points()).sum());
    for (_, ballot) in &cast {
        ballot.encodings(&mut encodings);
    }
    let mut decoded = decode_elements(&encodings).into_iter();
    for (i, ballot) in cast {
        let line = &lines[i].1;
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
        let numbered: Vec<(u64, String)> = lines.iter().cloned().enumerate().map(|(i, l)| (i as u64, l)).collect();
        let together = parse_lines(&numbered);
        let alone: Vec<Result<Event, String>> = lines.iter().map(|l| parse_line(l)).collect();
        assert_eq!(together, alone);
        let ok: Vec<bool> = together.iter().map(Result::is_ok).collect();
        assert_eq!(ok, [true, false, true, false, true, false, false, false, false, true, false]);
        assert!(together[1].as_ref().unwrap_err().contains("alpha"), "{:?}", together[1]);
    }
}
