//! The registrar: reads the voter roll; and the public credential list file ([`IssuedList`])
//! that a board opens on in an election without registration.
//!
//! The roll is CSV, one voter per line: a 12-digit individual identification number (IIN)
//! and a precinct, e.g. `900101300017,Almaty-114`. An optional first line `iin,precinct` is a
//! header. Blank lines are skipped. Every IIN must be well formed and carry a valid check
//! digit, and appear once. What spreadsheets write is read as long as it is unambiguous: a
//! byte-order mark, `;` as the separator, quoted fields, and an IIN that lost its leading
//! zeros (stored as a number) when zeros put back give a valid check digit. Every bad line is
//! reported at once, by number.
//!
//! IIN check digit (12th digit): `s = Σ_{k=1..11} d_k·k mod 11`; if `s = 10`, then
//! `s = Σ_{k=1..11} d_k·w_k mod 11` with `w = 3,4,5,6,7,8,9,10,11,1,2`; if `s` is 10 again
//! the number is never issued. The check digit is `s`.

use std::collections::HashMap;

use rand::{CryptoRng, RngExt};

use serde::{Deserialize, Serialize};

use super::ElectionError;
use super::credential::CredentialList;
use super::manifest::Manifest;
use crate::crypto::group::{Fingerprint, to_hex};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollEntry {
    pub iin: String,
    pub precinct: String,
}

fn roll_error(line: usize, reason: impl Into<String>) -> ElectionError {
    ElectionError::Roll { line, reason: reason.into() }
}

/// The IIN check digit of the first 11 digits, or `None` if no valid IIN has them.
pub fn iin_check_digit(digits: &[u8; 11]) -> Option<u8> {
    let weighted =
        |w: &dyn Fn(usize) -> u32| digits.iter().enumerate().map(|(k, d)| u32::from(*d) * w(k)).sum::<u32>() % 11;
    let first = weighted(&|k| k as u32 + 1);
    let s = if first == 10 { weighted(&|k| ((k as u32 + 2) % 11) + 1) } else { first };
    (s != 10).then_some(s as u8)
}

/// Checks one IIN: 12 digits with a valid check digit.
pub fn check_iin(iin: &str) -> Result<(), String> {
    if iin.len() != 12 || !iin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{iin:?} is not 12 digits"));
    }
    let d: Vec<u8> = iin.bytes().map(|b| b - b'0').collect();
    let first: [u8; 11] = d[..11].try_into().expect("11 digits");
    match iin_check_digit(&first) {
        Some(c) if c == d[11] => Ok(()),
        _ => Err(format!("{iin} has a wrong check digit")),
    }
}

/// The fields of one CSV line split at `sep`, with RFC 4180 quoting (`"a, b"`, `""` for a
/// quote inside quotes), each trimmed.
fn split_fields(row: &str, sep: char) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut chars = row.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
            chars.next();
        }
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => return Err("a quoted field is not closed".into()),
                }
            }
            while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
                chars.next();
            }
            match chars.next() {
                None => {
                    fields.push(field);
                    return Ok(fields);
                }
                Some(c) if c == sep => fields.push(field),
                Some(c) => return Err(format!("{c:?} after a quoted field")),
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(field.trim().to_string());
                        return Ok(fields);
                    }
                    Some(c) if c == sep => break,
                    Some(c) => field.push(c),
                }
            }
            fields.push(field.trim().to_string());
        }
    }
}

/// An IIN as written in a roll: 12 digits, or fewer where a spreadsheet dropped leading
/// zeros and zeros put back give a valid check digit.
fn roll_iin(text: &str) -> Result<String, String> {
    if (1..12).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        let padded = format!("{text:0>12}");
        return match check_iin(&padded) {
            Ok(()) => Ok(padded),
            Err(_) => Err(format!(
                "{text:?} is not 12 digits (nor an IIN that lost its leading zeros: {padded} has a wrong check digit)"
            )),
        };
    }
    check_iin(text).map(|()| text.to_string())
}

/// Parses a roll; every malformed or repeated line is reported (1-based line numbers), all at
/// once.
pub fn parse_roll(text: &str) -> Result<Vec<RollEntry>, ElectionError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The separator: `;` where the first line with content splits into two fields at `;` and
    // not at `,` (a spreadsheet's export in locales that write decimal commas).
    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let two = |sep| split_fields(first, sep).is_ok_and(|f| f.len() == 2);
    let sep = if two(';') && !two(',') { ';' } else { ',' };
    let mut out = Vec::new();
    let mut bad: Vec<(usize, String)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut content = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let row = raw.trim();
        if row.is_empty() {
            continue;
        }
        content += 1;
        let fields = match split_fields(row, sep) {
            Ok(f) => f,
            Err(e) => {
                bad.push((line, e));
                continue;
            }
        };
        if content == 1
            && fields.len() == 2
            && fields[0].eq_ignore_ascii_case("iin")
            && fields[1].eq_ignore_ascii_case("precinct")
        {
            continue;
        }
        let [iin, precinct] = &fields[..] else {
            bad.push((line, format!("expected two fields: iin{sep}precinct")));
            continue;
        };
        let iin = match roll_iin(iin) {
            Ok(iin) => iin,
            Err(e) => {
                bad.push((line, e));
                continue;
            }
        };
        if precinct.is_empty() {
            bad.push((line, "the precinct is empty".into()));
            continue;
        }
        if let Some(first) = seen.insert(iin.clone(), line) {
            bad.push((line, format!("IIN {iin} is already on line {first}")));
            continue;
        }
        out.push(RollEntry { iin, precinct: precinct.clone() });
    }
    if !bad.is_empty() {
        return Err(ElectionError::RollLines(bad));
    }
    if out.is_empty() {
        return Err(roll_error(0, "the roll lists no voters"));
    }
    Ok(out)
}

/// The registrar's public credential list as a file (`credentials.json`): the list (or, for a
/// manifest of several ballot styles, one list per style in manifest order), and the election
/// it was issued for and how many it holds, so that a board refuses another election's list
/// (or a truncated one) before voting opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuedList {
    /// Every credential, in all lists.
    pub count: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<CredentialList>,
    pub election_id: String,
    pub setup_fingerprint: Fingerprint,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style_credentials: Option<Vec<CredentialList>>,
}

impl IssuedList {
    /// The one list of an election of one ballot style.
    pub fn new(manifest: &Manifest, credentials: CredentialList) -> IssuedList {
        IssuedList {
            count: credentials.len() as u64,
            credentials: Some(credentials),
            election_id: manifest.election_id.clone(),
            setup_fingerprint: manifest.setup_fingerprint(),
            style_credentials: None,
        }
    }

    /// One list per ballot style, in the manifest's order.
    pub fn per_style(manifest: &Manifest, lists: Vec<CredentialList>) -> IssuedList {
        IssuedList {
            count: lists.iter().map(|l| l.len() as u64).sum(),
            credentials: None,
            election_id: manifest.election_id.clone(),
            setup_fingerprint: manifest.setup_fingerprint(),
            style_credentials: Some(lists),
        }
    }

    /// Reads the file; a bare list (which names no election) is refused.
    pub fn from_json(text: &str) -> Result<IssuedList, ElectionError> {
        let bad = |e: String| ElectionError::Credential(format!("the credential list file: {e}"));
        if text.trim_start().starts_with('[') {
            return Err(bad("a bare list names no election: the file must give the election's id, setup \
                 fingerprint and count with the list (`{\"count\", \"credentials\", \"election_id\", \
                 \"setup_fingerprint\"}`, specs/record.md)"
                .into()));
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let list: IssuedList = serde_path_to_error::deserialize(&mut de).map_err(|e| bad(e.to_string()))?;
        de.end().map_err(|e| bad(e.to_string()))?;
        Ok(list)
    }

    /// The list is for the election of `manifest`, has one list per ballot style (`credentials`
    /// with one style, `style_credentials` with several) and holds the number of credentials
    /// it says.
    pub fn check_for(&self, manifest: &Manifest) -> Result<(), ElectionError> {
        let setup = manifest.setup_fingerprint();
        if self.election_id != manifest.election_id || self.setup_fingerprint != setup {
            return Err(ElectionError::Credential(format!(
                "this credential list was issued for election {:?} (setup fingerprint {}), not for this \
                 board's {:?} (setup fingerprint {}): it is another election's list",
                self.election_id,
                to_hex(self.setup_fingerprint.as_bytes()),
                manifest.election_id,
                to_hex(setup.as_bytes()),
            )));
        }
        let styles = manifest.styles().len();
        let lists: Vec<&CredentialList> = match (&self.credentials, &self.style_credentials, styles) {
            (Some(one), None, 1) => vec![one],
            (None, Some(lists), _) if styles > 1 && lists.len() == styles => lists.iter().collect(),
            _ => {
                return Err(ElectionError::Credential(format!(
                    "the election has {styles} ballot style(s): the file must give {}",
                    if styles == 1 {
                        "`credentials`, one list, and no `style_credentials`".to_string()
                    } else {
                        format!(
                            "`style_credentials`, {styles} lists in the manifest's style order, and no `credentials`"
                        )
                    }
                )));
            }
        };
        let held: u64 = lists.iter().map(|l| l.len() as u64).sum();
        if self.count != held {
            return Err(ElectionError::Credential(format!(
                "the list says it holds {} credentials but holds {held}",
                self.count
            )));
        }
        Ok(())
    }
}

/// A random valid IIN (for synthetic rolls): a birth date, a century-and-sex digit, a serial.
pub fn random_iin<R: CryptoRng + ?Sized>(rng: &mut R) -> String {
    loop {
        let year = rng.random_range(0..100u32);
        let month = rng.random_range(1..=12u32);
        let day = rng.random_range(1..=28u32);
        let century_sex = rng.random_range(3..=6u32);
        let serial = rng.random_range(0..10_000u32);
        let head = format!("{year:02}{month:02}{day:02}{century_sex}{serial:04}");
        let digits: [u8; 11] = head.bytes().map(|b| b - b'0').collect::<Vec<_>>().try_into().expect("11 digits");
        if let Some(c) = iin_check_digit(&digits) {
            return format!("{head}{c}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits() {
        // 11 digits whose first weighted sum is not 10, and one where it is.
        let valid = random_iin(&mut rand::rng());
        assert!(check_iin(&valid).is_ok());
        let mut wrong = valid.clone().into_bytes();
        wrong[11] = b'0' + (wrong[11] - b'0' + 1) % 10;
        assert!(check_iin(std::str::from_utf8(&wrong).unwrap()).is_err());
        // First sum: 1·1 + 10·0 … chosen so that it is 10, exercising the second weights.
        let d = [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]; // 1·1 + 9·1 = 10
        let c = iin_check_digit(&d).unwrap(); // 3·1 + 11·1 = 14 ≡ 3
        assert_eq!(c, 3);
        assert!(check_iin("100000001003").is_ok());
        assert!(check_iin("12345").is_err());
        assert!(check_iin("10000000100a").is_err());
    }

    #[test]
    fn rolls_name_the_bad_line() {
        let a = random_iin(&mut rand::rng());
        let b = loop {
            let b = random_iin(&mut rand::rng());
            if b != a {
                break b;
            }
        };
        let roll = parse_roll(&format!("iin,precinct\n{a},P1\n\n{b},P2\n")).unwrap();
        assert_eq!(roll.len(), 2);
        let cases = [
            (format!("{a},P1\n{a},P2\n"), "line 2: IIN"),
            (format!("{a},P1\n123,P2\n"), "line 2: \"123\" is not 12 digits"),
            (format!("{a}\n"), "line 1: expected two fields"),
            (format!("{a},P1,extra\n"), "line 1: expected two fields"),
            (format!("{a},\n"), "line 1: the precinct is empty"),
            ("\n\n".to_string(), "no voters"),
        ];
        for (text, expected) in cases {
            let err = parse_roll(&text).unwrap_err().to_string();
            assert!(err.contains(expected), "{err} should contain {expected}");
        }
    }

    #[test]
    fn spreadsheet_rolls_are_read_and_every_bad_line_is_listed() {
        let mut rng = rand::rng();
        // IINs of people born 2000–2009 start with 0; a spreadsheet stores them as numbers.
        let zero = loop {
            let iin = random_iin(&mut rng);
            if iin.starts_with('0') && !iin.starts_with("00") {
                break iin;
            }
        };
        let plain = random_iin(&mut rng);
        let text = format!("\u{feff}IIN;Precinct\r\n{};\"Almaty, 114\"\r\n\"{plain}\";\"P \"\"2\"\"\"\r\n", &zero[1..]);
        let roll = parse_roll(&text).unwrap();
        assert_eq!(roll[0], RollEntry { iin: zero.clone(), precinct: "Almaty, 114".into() });
        assert_eq!(roll[1], RollEntry { iin: plain.clone(), precinct: "P \"2\"".into() });
        // A short number whose zeros do not give a valid IIN is not guessed at.
        let mut wrong = zero[1..].to_string().into_bytes();
        wrong[10] = b'0' + (wrong[10] - b'0' + 1) % 10;
        let wrong = String::from_utf8(wrong).unwrap();
        let text = format!("{plain},P1\n{wrong},P2\n9.00101E+11,P3\n\"{plain},P4\n{plain},P5\n,P6\n");
        let err = parse_roll(&text).unwrap_err().to_string();
        for expected in [
            "5 bad line(s)",
            "roll line 2: \"",
            "lost its leading zeros",
            "roll line 3: \"9.00101E+11\" is not 12 digits",
            "roll line 4: a quoted field is not closed",
            &format!("roll line 5: IIN {plain} is already on line 1"),
            "roll line 6:",
        ] {
            assert!(err.contains(expected), "{err} should contain {expected}");
        }
        assert!(!err.contains("roll line 1:"), "{err}");
    }
}
