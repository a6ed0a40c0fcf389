//! The registrar: reads the voter roll, issues one credential per voter.
//!
//! The roll is CSV, one voter per line: a 12-digit individual identification number (IIN)
//! and a precinct, e.g. `900101300017,Almaty-114`. An optional first line `iin,precinct` is a
//! header. Blank lines are skipped. Every IIN must be well formed and carry a valid check
//! digit, and appear once; an error names the line.
//!
//! IIN check digit (12th digit): `s = Σ_{k=1..11} d_k·k mod 11`; if `s = 10`, then
//! `s = Σ_{k=1..11} d_k·w_k mod 11` with `w = 3,4,5,6,7,8,9,10,11,1,2`; if `s` is 10 again
//! the number is never issued. The check digit is `s`.
//!
//! Issuing produces two things that must be kept apart: the public credential list (no
//! identities; it goes to the board), and the registrar's sheet mapping each IIN to its
//! secret credential string, for distribution to voters and destruction afterwards.

use std::collections::HashMap;

use rand::{CryptoRng, RngExt};

use super::ElectionError;
use super::credential::{Credential, CredentialList};

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

/// Parses a roll; every malformed or repeated line is an error naming the line (1-based).
pub fn parse_roll(text: &str) -> Result<Vec<RollEntry>, ElectionError> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let row = raw.trim();
        if row.is_empty() || (line == 1 && row.eq_ignore_ascii_case("iin,precinct")) {
            continue;
        }
        let mut fields = row.split(',').map(str::trim);
        let (Some(iin), Some(precinct), None) = (fields.next(), fields.next(), fields.next()) else {
            return Err(roll_error(line, "expected two fields: iin,precinct"));
        };
        check_iin(iin).map_err(|e| roll_error(line, e))?;
        if precinct.is_empty() {
            return Err(roll_error(line, "the precinct is empty"));
        }
        if let Some(first) = seen.insert(iin.to_string(), line) {
            return Err(roll_error(line, format!("IIN {iin} is already on line {first}")));
        }
        out.push(RollEntry { iin: iin.to_string(), precinct: precinct.to_string() });
    }
    if out.is_empty() {
        return Err(roll_error(0, "the roll lists no voters"));
    }
    Ok(out)
}

/// One credential per voter: the sheet (IIN, precinct, secret credential) and the public list.
pub fn issue<R: CryptoRng + ?Sized>(
    roll: &[RollEntry],
    election_id: &str,
    rng: &mut R,
) -> Result<(Vec<(RollEntry, Credential)>, CredentialList), ElectionError> {
    let sheet: Vec<(RollEntry, Credential)> = roll.iter().map(|e| (e.clone(), Credential::generate(rng))).collect();
    let list = CredentialList::new(sheet.iter().map(|(_, c)| c.public(election_id)).collect())?;
    Ok((sheet, list))
}

/// The registrar's secret sheet as CSV: `iin,precinct,credential`, a header then one line
/// per voter.
///
/// Written into one buffer sized in advance, with no temporary strings, so that no copy of a
/// credential is left behind in freed memory.
pub fn sheet_csv(sheet: &[(RollEntry, Credential)]) -> zeroize::Zeroizing<String> {
    const HEADER: &str = "iin,precinct,credential\n";
    let size =
        HEADER.len() + sheet.iter().map(|(e, c)| e.iin.len() + e.precinct.len() + c.as_str().len() + 3).sum::<usize>();
    let mut out = zeroize::Zeroizing::new(String::with_capacity(size));
    out.push_str(HEADER);
    for (e, c) in sheet {
        for part in [e.iin.as_str(), ",", e.precinct.as_str(), ",", c.as_str(), "\n"] {
            out.push_str(part);
        }
    }
    debug_assert_eq!(out.len(), size, "no reallocation");
    out
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
    fn issuing_keeps_identities_out_of_the_list() {
        let mut rng = rand::rng();
        let roll: Vec<RollEntry> =
            (0..5).map(|i| RollEntry { iin: random_iin(&mut rng), precinct: format!("P{i}") }).collect();
        let (sheet, list) = issue(&roll, "e", &mut rng).unwrap();
        assert_eq!(list.len(), 5);
        for (entry, cred) in &sheet {
            assert!(list.contains(&cred.public("e")));
            assert!(!serde_json::to_string(&list).unwrap().contains(&entry.iin));
        }
    }
}
